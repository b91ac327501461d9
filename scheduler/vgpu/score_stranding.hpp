#pragma once
// Stranding: GPUs a placement leaves free on a host whose vCPUs or memory can no longer feed
// them. A GPU host runs out of vCPUs or RAM before its GPUs are full when its VMs are
// CPU-heavy (the Alibaba GPU trace: 8 A40-class GPUs and 96 cores, VMs of ~11 cores each);
// the GPU room left then is lost to every vGPU VM, which is the part of FGD's node-level
// fragmentation (a task whose CPU ask exceeds the node's free CPU cannot use any of its free
// GPUs) that a per-GPU measure cannot see.
//
// The service does not know the vCPU and RAM sizes of the VMs to come, so the request itself
// stands for them: after the placement, if any host resource it asks has less left than it
// asks, another VM like it could not land there, and the host's free GPUs are stranded.
//   stranded = free GPUs of the host after the placement   if some free_k - ask_k < ask_k
//            = 0                                            otherwise
// in GPUs (each GPU's free share of its framebuffer, 0..1). The fragmentation part subtracts
// 50 per stranded GPU (score_fragmentation.hpp's scale: one whole GPU of fragment = -50).
#include <cstdint>
#include <span>

#include "scheduler/vgpu/catalog.hpp"
#include "scheduler/vgpu/gpu_state.hpp"

namespace vgpu::scheduler::vgpu {

struct HostResourceAsk {
  std::int64_t free_before = 0;  // capacity - used on the host, before the placement
  std::int64_t ask = 0;          // what the request takes of it
};

// The GPU's free share of its board's framebuffer, 0..1 (0 for an unknown board): what one GPU
// adds to a host's GPU room, here and in the search's order for requests for no vGPU.
double free_share(const Catalog& catalog, const GpuState& gpu);

// GPUs stranded by the placement (see above); 0 when no resource is asked.
double stranded_gpus(std::span<const HostResourceAsk> resources, double gpu_room_after);

}  // namespace vgpu::scheduler::vgpu
