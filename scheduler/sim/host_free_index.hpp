#pragma once
// A simulator-side pre-filter for the candidate search: what is free on each host's providers,
// kept up to date by the protocol for the one host that changed after each placement, so that
// a tree that cannot possibly take a request is refused at its root (filter_anchor) without
// visiting its providers. It only applies necessary conditions of the plain capacity rules
// (CapacityFit / CombinedCapacity / Isolate), so it never refuses a tree the search would have
// used: the placements are the same with and without it, only faster (late in a run most
// hosts are full).
#include <cstdint>
#include <memory>
#include <vector>

#include "scheduler/model/flat_map.hpp"
#include "scheduler/model/state.hpp"
#include "scheduler/search/plugin.hpp"
#include "scheduler/search/request.hpp"

namespace vgpu::scheduler::sim {

class HostFreeIndex {
 public:
  explicit HostFreeIndex(const State& state);
  // Re-reads the tree rooted at `root` (after a placement or release on it).
  void refresh(const State& state, ProviderId root);
  // False only when the tree at `root` cannot serve `request` by capacity alone.
  bool may_fit(const search::SearchRequest& request, ProviderId root) const;

 private:
  using Free = FlatMap<ClassId, std::int64_t>;
  std::vector<std::vector<Free>> trees_;  // by root id: free per class of each provider
  bool enabled_ = true;                   // off when sharing providers exist (outside trees)
};

// A filter whose filter_anchor asks `index`; `index` must outlive it.
std::unique_ptr<search::FilterPlugin> make_host_free_filter(const HostFreeIndex& index);

// `base` with the pre-filter first: the other plugins are borrowed (forwarded to), so `base`
// and `index` must outlive the result.
search::Profile with_host_free_filter(const search::Profile& base, const HostFreeIndex& index);

}  // namespace vgpu::scheduler::sim
