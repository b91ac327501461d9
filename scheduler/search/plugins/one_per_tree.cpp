// Before microversion 1.29 a client cannot claim from two providers of one tree (upstream's
// exclude_nested_providers): a candidate may use each tree through one provider only.
#include "scheduler/search/plugins/plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

class OnePerTree final : public PermitPlugin {
 public:
  std::string_view name() const override { return "OnePerTree"; }
  Status permit(const SearchContext& ctx, const PartialCandidate& partial, std::size_t,
                const Provider& p) const override {
    if (ctx.request().nested_aware) return Status::success();
    for (const Provider* c : partial.chosen)
      if (c->id != p.id && c->root == p.root)
        return Status::reject("a second provider of the same tree (before 1.29)");
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<PermitPlugin> make_one_per_tree() { return std::make_unique<OnePerTree>(); }

}  // namespace vgpu::scheduler::search
