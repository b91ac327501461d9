#pragma once
// What a search can say about its answer when asked to explain (GET /vgpu/v1/candidates?
// explain=true): each candidate's vGPU score with its parts, and every managed provider it
// turned down with the rule and the numbers. The caller passes an Explain to
// CandidateSearch::run; without one (null) the search records nothing and pays nothing.
//
// Only the vGPU layer is explained: rejections are recorded for managed GPUs (for slots that
// ask for a vGPU) and for managed hosts' roots (as anchors, and for slots that ask for no vGPU,
// e.g. VCPU); plain Placement providers are not listed.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <utility>

#include "scheduler/model/ids.hpp"
#include "scheduler/vgpu/catalog.hpp"
#include "scheduler/vgpu/score_weights.hpp"

namespace vgpu::scheduler::search {

inline constexpr std::size_t kNoGroup = static_cast<std::size_t>(-1);

// The vGPU score of one slot of a candidate: the managed GPU serving it.
struct SlotScore {
  std::size_t group = 0;        // index into SearchRequest::groups
  ProviderId provider = kNoProvider;
  // The vGPUs the slot places there: (profile in the running catalog, count), as resolved from
  // the class, the group's profile traits or the GPU.
  std::vector<std::pair<vgpu::ProfileIndex, int>> vgpus;
  vgpu::ScoreParts parts;       // packing, fragmentation, energy, spread and their total
};

// Parallel to the search's result: candidates[i] explains result[i].
struct CandidateExplain {
  // Mean of the slots' parts (each part and the total); nullopt for a candidate that uses no
  // managed GPU (plain Placement: ranked by the plain scores only).
  std::optional<vgpu::ScoreParts> parts;
  std::vector<SlotScore> slots;
};

struct Rejection {
  ProviderId provider = kNoProvider;
  ProviderId root = kNoProvider;   // the tree it was considered in
  std::size_t group = kNoGroup;    // kNoGroup: the tree as a whole (an anchor filter)
  std::string plugin;              // "VgpuGpuRules", "CapacityFit", ...
  // The rule: a placement rule ("equal_size", "mixed_size", "mig", "unsupported_profile",
  // "mode", "ambiguous_profile"), "licence", "host_state", or a plain plugin's reason.
  std::string rule;
  std::string detail;              // one sentence with the numbers
};

struct Explain {
  std::vector<CandidateExplain> candidates;
  std::vector<Rejection> rejections;  // in the order met; one per (provider, group, plugin)
};

}  // namespace vgpu::scheduler::search
