#pragma once
// How much GPU a host still has free, in GPUs (each managed GPU counts its free share of the
// board's framebuffer, 0..1). The search orders trees by it for requests that ask no vGPU:
// a VM without a vGPU that lands on a host with idle GPUs takes vCPUs and memory those GPUs
// need, and can strand them (the FGD paper's CPU-only pods; Nova's PCIWeigher keeps PCI hosts
// for PCI requests for the same reason). Hosts with no free GPU, or none at all, go first.
#include "scheduler/model/state.hpp"
#include "scheduler/vgpu/catalog.hpp"

namespace vgpu::scheduler::search {

// 0 for a root that is not a managed host's, or whose GPUs are all full.
double gpu_room(const State& state, ProviderId root, const vgpu::Catalog& catalog);

}  // namespace vgpu::scheduler::search
