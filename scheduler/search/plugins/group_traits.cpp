// The unnumbered group's required traits are satisfied by its providers together: every
// any-of list needs one trait carried by one of the providers serving the group.
#include "scheduler/search/plugins/plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

class GroupTraits final : public PermitPlugin {
 public:
  std::string_view name() const override { return "GroupTraits"; }
  Status group_done(const SearchContext& ctx, const PartialCandidate& partial,
                    std::size_t group) const override {
    const GroupRequest& g = ctx.request().groups[group];
    if (g.same_provider || g.traits.required_any.empty()) return Status::success();
    const auto& slots = ctx.slots();
    for (const auto& any : g.traits.required_any) {
      bool found = false;
      for (std::size_t i = 0; i < partial.chosen.size() && !found; ++i) {
        if (slots[i].group != group) continue;
        for (TraitId t : any) found = found || partial.chosen[i]->has_trait(t);
      }
      if (!found) return Status::reject("the group's providers lack a required trait");
    }
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<PermitPlugin> make_group_traits() { return std::make_unique<GroupTraits>(); }

}  // namespace vgpu::scheduler::search
