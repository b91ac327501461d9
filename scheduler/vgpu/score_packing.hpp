#pragma once
// Packing score: best fit of the vGPU on its physical GPU and of the VM on its host, fuller
// first (Kubernetes' MostAllocated, per GPU and per host), so that empty GPUs and hosts stay
// empty for large profiles and for standby.
//
//   gpu_fill  = gpu_used_after / gpu_capacity             (0 when capacity <= 0)
//   host_fill = host_gpus_busy / host_gpus_total          (0 when total <= 0)
//   packing   = 100 * (kGpuFillShare * gpu_fill + (1 - kGpuFillShare) * host_fill)
//
// The GPU term dominates (3/4): filling a GPU to its profile's capacity is what keeps the other
// GPUs free for other profiles; the host term (1/4) prefers, among GPUs about as full, a host
// whose GPUs are already busy, so fewer hosts are in use. The host term counts the busy GPUs
// BEFORE the placement, so it is the same for every GPU of one host: counted after, a vGPU on
// an idle GPU would make its host look fuller and beat the busy GPU next to it (and spread,
// 100 - packing, would then pick the busy GPU).
// Units: in equal-size mode used/capacity are vGPU counts of the profile (the catalog's max per
// GPU); where sizes mix (mixed-size, MIG) use framebuffer MB or slots, the same unit for both.
#include <cstdint>

namespace vgpu::scheduler::vgpu {

inline constexpr double kGpuFillShare = 0.75;

struct PackingInput {
  std::int64_t gpu_used_after = 0;  // on the GPU, counting the vGPU being placed
  std::int64_t gpu_capacity = 0;
  int host_gpus_busy = 0;           // the host's GPUs with at least one vGPU, before placement
  int host_gpus_total = 0;
};

// 0..100, 100 = the placement fills the GPU and the host completely.
double packing_score(const PackingInput&);

}  // namespace vgpu::scheduler::vgpu
