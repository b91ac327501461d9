#pragma once
// Plugins by name, so that a profile is configuration: a list of filter and permit names and
// weighted score names. Unknown names and bad weights are refused when the profile is built,
// with a message naming the field.
//
// The vGPU plugins (plugins/vgpu_plugins.hpp) need the vGPU configuration: they can only be
// built when one is given, and a profile built without one is plain Placement.
#include <string>
#include <utility>
#include <vector>

#include "scheduler/search/plugin.hpp"
#include "scheduler/vgpu/vgpu_config.hpp"

namespace vgpu::scheduler::search {

struct ProfileConfig {
  std::vector<std::string> filters;
  std::vector<std::string> permits;
  std::vector<std::pair<std::string, int>> scores;  // name, weight (1..100)
};

// The plain Placement rules, and most-allocated packing.
ProfileConfig default_profile_config();
// The plain rules with the vGPU rules and score: VgpuHostState first (a whole tree at once),
// VgpuGpuRules and VgpuLicence before CapacityFit (so that explain names the vGPU rule, not
// "insufficient capacity", for a full GPU), VgpuSameGpu after the plain permits, and VgpuScore
// weighted 100 against MostAllocated's 1, so that the vGPU score decides among managed GPUs
// and MostAllocated only breaks its ties.
ProfileConfig vgpu_profile_config();
// Throws std::invalid_argument for an unknown plugin name, a weight outside 1..100, a vGPU
// plugin without a vGPU configuration, or invalid vGPU score weights. `vgpu` must outlive the
// profile.
Profile build_profile(const ProfileConfig& config, const vgpu::VgpuConfig* vgpu = nullptr);
// The default profile: plain without a vGPU configuration, vgpu_profile_config() with one.
Profile build_default_profile(const vgpu::VgpuConfig* vgpu = nullptr);

}  // namespace vgpu::scheduler::search
