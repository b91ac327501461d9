#pragma once
// What GET /allocation_candidates asks, in scheduler terms: ids instead of names, microversion
// differences already turned into plain switches by the API layer.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scheduler/model/ids.hpp"
#include "scheduler/query/provider_filter.hpp"
#include "scheduler/vgpu/request_mix.hpp"

namespace vgpu::scheduler::search {

struct ResourceAmount {
  ClassId resource_class = 0;
  std::int64_t amount = 0;
};

struct GroupRequest {
  std::string suffix;                  // "" for the unnumbered group
  bool same_provider = false;          // numbered (suffixed) group: one provider serves it all
  std::vector<ResourceAmount> resources;  // sorted by class; empty for a resourceless group
  TraitRule traits;
  AggregateRule aggregates;
  std::optional<ProviderId> in_tree_root;  // providers must be in the tree with this root
};

struct SearchRequest {
  std::vector<GroupRequest> groups;
  bool isolate = false;                // group_policy=isolate: numbered groups on distinct providers
  TraitRule root_required;             // on the root of the tree a candidate is anchored to
  std::vector<std::vector<std::size_t>> same_subtree;  // group indexes per same_subtree value
  std::optional<std::size_t> limit;
  // Before 1.29 clients know nothing of trees: a candidate may use one provider per tree.
  bool nested_aware = true;
  // Like upstream's randomize_allocation_candidates: shuffle instead of the ranked order.
  bool randomize = false;
  std::uint64_t seed = 0;

  // The vGPU layer (used only when the search profile has a vGPU configuration, and only on
  // managed hosts and GPUs). Standby hosts may take new vGPUs (ranked last) only when the
  // configuration allows waking them (wake_standby_hosts, which the claim rules check too);
  // false here opts this request out; unset or true follows the configuration.
  std::optional<bool> allow_wake_standby;
  // Anti-affinity opt-in: rank the emptiest GPUs and hosts first (spread replaces packing and
  // energy in the vGPU score).
  bool prefer_spread = false;
  // A snapshot of the recent request mix (normalised weights) for the fragmentation score;
  // null or empty: fragmentation is neutral. Must outlive the search.
  const std::vector<vgpu::ProfileWeight>* request_mix = nullptr;
};

}  // namespace vgpu::scheduler::search
