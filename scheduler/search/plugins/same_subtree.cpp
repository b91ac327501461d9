// same_subtree: the providers serving the listed groups must all lie under one of them.
#include <algorithm>

#include "scheduler/search/plugins/plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

bool is_ancestor_or_self(const State& state, const Provider& a, const Provider* p) {
  while (p) {
    if (p->id == a.id) return true;
    p = p->parent == kNoProvider ? nullptr : state.provider(p->parent);
  }
  return false;
}

class SameSubtree final : public PermitPlugin {
 public:
  std::string_view name() const override { return "SameSubtree"; }
  Status complete(const SearchContext& ctx, const PartialCandidate& partial) const override {
    const auto& slots = ctx.slots();
    for (const auto& groups : ctx.request().same_subtree) {
      std::vector<const Provider*> members;
      for (std::size_t i = 0; i < partial.chosen.size(); ++i)
        if (std::find(groups.begin(), groups.end(), slots[i].group) != groups.end() &&
            std::find(members.begin(), members.end(), partial.chosen[i]) == members.end())
          members.push_back(partial.chosen[i]);
      if (members.size() <= 1) continue;
      const bool rooted = std::any_of(members.begin(), members.end(), [&](const Provider* top) {
        return std::all_of(members.begin(), members.end(), [&](const Provider* m) {
          return is_ancestor_or_self(ctx.state(), *top, m);
        });
      });
      if (!rooted) return Status::reject("not in one subtree (same_subtree)");
    }
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<PermitPlugin> make_same_subtree() { return std::make_unique<SameSubtree>(); }

}  // namespace vgpu::scheduler::search
