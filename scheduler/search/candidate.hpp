#pragma once
// One allocation candidate: what to claim where, and which providers served which group.
#include <cstdint>
#include <vector>

#include "scheduler/model/ids.hpp"

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
};

}  // namespace vgpu::scheduler::search
