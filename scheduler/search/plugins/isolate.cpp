// group_policy=isolate: no two numbered groups on the same provider. The unnumbered group may
// share a provider with any of them.
#include "scheduler/search/plugins/plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

class Isolate final : public PermitPlugin {
 public:
  std::string_view name() const override { return "Isolate"; }
  Status permit(const SearchContext& ctx, const PartialCandidate& partial, std::size_t slot,
                const Provider& p) const override {
    if (!ctx.request().isolate) return Status::success();
    const auto& slots = ctx.slots();
    const std::size_t group = slots[slot].group;
    if (!ctx.request().groups[group].same_provider) return Status::success();
    for (std::size_t i = 0; i < partial.chosen.size(); ++i) {
      const std::size_t g = slots[i].group;
      if (g != group && ctx.request().groups[g].same_provider && partial.chosen[i]->id == p.id)
        return Status::reject("another numbered group uses this provider (isolate)");
    }
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<PermitPlugin> make_isolate() { return std::make_unique<Isolate>(); }

}  // namespace vgpu::scheduler::search
