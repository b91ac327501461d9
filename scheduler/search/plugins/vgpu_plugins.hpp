#pragma once
// The vGPU rules and score as search plugins. Each acts only on managed hosts and GPUs
// (State::managed_host_of_root / managed_gpu); on plain Placement providers it stands aside, so
// a profile with them answers plain requests exactly as the plain profile does. They share the
// per-request work through SearchContext::vgpu() (vgpu_request.hpp) and take the vGPU
// configuration at construction (registry.cpp builds them only when one is given).
// Tested in tests/unit/vgpu/vgpu_plugins_test.cpp.
#include <memory>

#include "scheduler/search/plugin.hpp"
#include "scheduler/vgpu/vgpu_config.hpp"

namespace vgpu::scheduler::search {

// Filters
// Draining hosts take nothing new; standby hosts only when the request allows waking one.
std::unique_ptr<FilterPlugin> make_vgpu_host_state(const vgpu::VgpuConfig&);
// The requested profile must fit the GPU: equal-size, mixed-size and MIG rules (placement_rules).
std::unique_ptr<FilterPlugin> make_vgpu_gpu_rules(const vgpu::VgpuConfig&);
// The request's licence seats, per edition, against the pools.
std::unique_ptr<FilterPlugin> make_vgpu_licence(const vgpu::VgpuConfig&);
// Permits
// Two slots of one candidate on the same GPU must fit together.
std::unique_ptr<PermitPlugin> make_vgpu_same_gpu(const vgpu::VgpuConfig&);
// Scores
// Packing, fragmentation, energy (and spread when asked), combined with the configured weights.
std::unique_ptr<ScorePlugin> make_vgpu_score(const vgpu::VgpuConfig&);

}  // namespace vgpu::scheduler::search
