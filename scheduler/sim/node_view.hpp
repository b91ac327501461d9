#pragma once
// One host as the policies see it (FGD's "node resource"): CPU left, the share left on each GPU
// in GPU order, and the GPU model. Read from the scheduler State (the root's VCPU inventory
// minus usage; each child that has the mode's GPU-share class), so that policy plugins need no
// simulator bookkeeping beyond the classes that NodeModel names.
#include <cstdint>
#include <optional>
#include <vector>

#include "scheduler/model/ids.hpp"
#include "scheduler/model/state.hpp"
#include "scheduler/search/candidate.hpp"
#include "scheduler/search/request.hpp"

namespace vgpu::scheduler::sim {

// Which classes and traits make a node: given by the mode (mode.hpp).
struct NodeModel {
  ClassId cpu = 0;
  ClassId gpu_share = 0;            // the GPU children's share class (CUSTOM_GPU_MILLI)
  std::int64_t units_per_gpu = 1000;
  std::vector<TraitId> model_traits;  // one per GPU model; a GPU carries its model's
};

struct NodeView {
  ProviderId root = kNoProvider;
  std::int64_t cpu_left = 0;
  std::int64_t cpu_capacity = 0;
  std::vector<ProviderId> gpus;       // GPU providers in index order
  std::vector<std::int64_t> gpu_left; // parallel to gpus
  std::optional<TraitId> model;       // the GPUs' model trait, if any

  std::int64_t gpu_left_total() const;
  std::int64_t full_gpus_free(std::int64_t units_per_gpu) const;
  // This view after the allocations of `candidate` that fall on this node.
  NodeView after(const search::Candidate& candidate, const NodeModel& model) const;
};

NodeView node_view(const State& state, ProviderId root, const NodeModel& model);

// What a search request asks of a node, in FGD's terms: CPU, the share per GPU, how many GPUs.
struct PodAsk {
  std::int64_t cpu_milli = 0;
  std::int64_t gpu_milli = 0;  // per GPU (the largest asked when groups differ)
  int num_gpu = 0;             // groups asking the GPU-share class
  // A GPU-sharing pod: one GPU, part of it. Its GPU is chosen by the policy; whole GPUs go to
  // the first free ones in GPU order (the authors' AllocateExclusiveGpuId).
  bool shares_gpu(std::int64_t units_per_gpu) const {
    return num_gpu == 1 && gpu_milli < units_per_gpu;
  }
};
PodAsk pod_ask(const search::SearchRequest& request, const NodeModel& model);

}  // namespace vgpu::scheduler::sim
