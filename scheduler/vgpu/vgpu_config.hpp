#pragma once
// Everything the vGPU rules and scores need besides the state: built once at start-up from the
// shipped catalog, the operator's catalog file and the [vgpu] options, validated, frozen and
// shared read-only (by the search plugins, the claim rules, the vGPU API and the simulator).
#include <string>
#include <utility>
#include <vector>

#include "scheduler/vgpu/catalog.hpp"
#include "scheduler/vgpu/licence_pool.hpp"
#include "scheduler/vgpu/request_mix.hpp"
#include "scheduler/vgpu/score_weights.hpp"

namespace vgpu::scheduler::vgpu {

// Nova names that do not follow the CUSTOM_VGPU_<PROFILE> / CUSTOM_NVIDIA_<PROFILE> conventions
// (profile_name.hpp), mapped to profiles by the operator: a resource class of an
// [mdev_<type>] mdev_class, a trait set with osc-placement, an mdev type id ("nvidia-558").
struct NameMapping {
  std::vector<std::pair<std::string, ProfileIndex>> resource_classes;
  std::vector<std::pair<std::string, ProfileIndex>> traits;
  std::vector<std::pair<std::string, ProfileIndex>> mdev_types;
};

struct VgpuConfig {
  Catalog catalog;
  NameMapping names;
  ScoreWeights weights;
  LicenceConfig licences;
  RequestMixOptions request_mix;
  // Standby hosts get new vGPUs only when a request allows waking one; then they rank last.
  // Draining hosts never get new vGPUs.
  bool wake_standby_hosts = false;
};

}  // namespace vgpu::scheduler::vgpu
