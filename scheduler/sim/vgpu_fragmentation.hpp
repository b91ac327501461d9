#pragma once
// FGD's fragmentation measure adapted to vGPUs (the `fgd-vgpu` policy): the GPU share left on a
// node that the target workload of profiles could not use, weighted by how likely each shape
// is. FGD (fgd_fragmentation.hpp) asks "has this GPU at least t's share left?"; with vGPUs that
// is not enough — an equal-size GPU holding A40-12Q takes no A40-6Q however much is free, a MIG
// GPU takes a 4g only at start 0 — so here the question is the service's own placement rule:
// can the GPU still take one vGPU of t's profile (vgpu::free_count > 0)? For each target shape
// t (weight w_t; profile = the one of t's share among the GPU's supported profiles):
// - t cannot run on the node (not enough CPU, fewer GPUs that can take its profile than it
//   asks, or t asks no GPU): all the share left is fragment, w_t x left;
// - t fits: the share left on the GPUs that cannot take t's profile is fragment.
// Memoised by node content (CPU step, each GPU's supported profile when fixed and its vGPUs).
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "scheduler/sim/target_workload.hpp"
#include "scheduler/vgpu/catalog.hpp"
#include "scheduler/vgpu/gpu_state.hpp"

namespace vgpu::scheduler::sim {

struct VgpuNodeGpu {
  const vgpu::GpuState* gpu = nullptr;
  std::int64_t left = 0;  // share units left (the mode's shadow account)
};

class VgpuFragmentation {
 public:
  // `target`: shapes in the mode's units (a prepared workload's target_workload);
  // `units_per_gpu`: 1000, or 7000 in MIG mode.
  VgpuFragmentation(TargetWorkload target, const vgpu::Catalog& catalog, std::int64_t units_per_gpu);

  double amount(std::int64_t cpu_left, const std::vector<VgpuNodeGpu>& gpus) const;
  double amount_uncached(std::int64_t cpu_left, const std::vector<VgpuNodeGpu>& gpus) const;
  std::int64_t units_per_gpu() const { return units_; }

 private:
  // Whether `gpu` can still take one vGPU of `units` share (its profile of that share).
  bool can_take(const vgpu::GpuState& gpu, std::int64_t units) const;

  struct KeyHash {
    std::size_t operator()(const std::vector<std::int64_t>& k) const {
      std::size_t h = 0x9E3779B97F4A7C15ull;
      for (std::int64_t v : k) h = (h ^ static_cast<std::size_t>(v)) * 0x100000001B3ull;
      return h;
    }
  };
  TargetWorkload target_;
  const vgpu::Catalog& catalog_;
  std::int64_t units_;
  std::vector<std::int64_t> cpu_steps_;  // distinct target CPU asks, ascending
  mutable std::unordered_map<std::vector<std::int64_t>, double, KeyHash> memo_;
};

}  // namespace vgpu::scheduler::sim
