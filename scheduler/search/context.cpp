#include "scheduler/search/context.hpp"

#include <algorithm>

#include "scheduler/search/plugins/vgpu_request.hpp"

namespace vgpu::scheduler::search {

SearchContext::SearchContext(const State& state, const SearchRequest& request,
                             const vgpu::VgpuConfig* vgpu, Explain* explain)
    : state_(state), request_(request), explain_(explain) {
  for (std::size_t g = 0; g < request.groups.size(); ++g) {
    const GroupRequest& group = request.groups[g];
    if (group.same_provider || group.resources.empty()) {
      slots_.push_back({g, group.resources, true});
    } else {
      for (const ResourceAmount& r : group.resources) slots_.push_back({g, {r}, false});
      slots_.back().last_of_group = true;
    }
  }
  sharing_trait_ = state.traits().id_of("MISC_SHARES_VIA_AGGREGATE");
  // Only the sharing providers are visited here, from the snapshot's index: a search that
  // stops early at `limit` must not pay for a scan of every provider.
  for (ProviderId id : state.sharing_ids()) {
    const Provider* p = state.provider(id);
    for (const Uuid& a : p->aggregates) sharing_by_aggregate_[a].push_back(p);
  }
  // Without a managed host no provider is a managed GPU and every vGPU plugin passes: skip the
  // per-request set-up (its name resolver reads every class and trait name), so plain
  // Placement requests cost what they did before the vGPU layer.
  if (vgpu && state.managed_host_count() > 0)
    vgpu_ = std::make_unique<VgpuRequest>(state, request, slots_, *vgpu);
}

SearchContext::~SearchContext() = default;

bool SearchContext::is_sharing(const Provider& p) const {
  return sharing_trait_ && p.has_trait(*sharing_trait_);
}

std::vector<const Provider*> SearchContext::sharing_for(
    const std::vector<const Provider*>& tree) const {
  std::vector<const Provider*> out;
  if (sharing_by_aggregate_.empty()) return out;
  for (const Provider* p : tree) {
    for (const Uuid& a : p->aggregates) {
      auto it = sharing_by_aggregate_.find(a);
      if (it == sharing_by_aggregate_.end()) continue;
      for (const Provider* s : it->second)
        if (s->root != p->root) out.push_back(s);  // one of the tree's own is no guest
    }
  }
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->id < b->id; });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace vgpu::scheduler::search
