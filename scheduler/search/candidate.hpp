#pragma once
// One allocation candidate: what to claim where, and which providers served which group.
#include <cstdint>
#include <optional>
#include <vector>

#include "scheduler/model/ids.hpp"
#include "scheduler/vgpu/score_weights.hpp"

namespace vgpu::scheduler::search {

struct AllocationPart {
  ProviderId provider = kNoProvider;
  ClassId resource_class = 0;
  std::int64_t amount = 0;
  friend bool operator==(const AllocationPart&, const AllocationPart&) = default;
  friend auto operator<=>(const AllocationPart&, const AllocationPart&) = default;
};

struct Candidate {
  ProviderId anchor = kNoProvider;         // root of the tree the candidate is built around
  std::vector<AllocationPart> allocations;  // consolidated, sorted by (provider, class)
  std::vector<std::vector<ProviderId>> mappings;  // per request group: its providers, sorted
  int score = 0;                            // sum of the weighted slot scores (higher is better)
  // The vGPU score (0..100, parts and total; the mean over the slots served by managed GPUs):
  // what ranks candidates across hosts and what the Nova weigher uses. nullopt when the
  // candidate uses no managed GPU or the search has no vGPU configuration.
  std::optional<vgpu::ScoreParts> vgpu_score;
};

}  // namespace vgpu::scheduler::search
