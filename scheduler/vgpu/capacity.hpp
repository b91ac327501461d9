#pragma once
// How much room the fleet has, for GET /vgpu/v1/capacity and GET /vgpu/v1/hosts[/{hostname}]:
// pure reads of one snapshot.
//
// Capacity of a profile = how many more vGPUs of it could be placed right now, one at a time,
// each on its own: the sum over managed GPUs that support it of placement_rules::free_count
// (so equal-size GPUs hosting another profile count 0, mixed-size and MIG GPUs count the
// aligned free runs). Active hosts count in `free`; standby hosts separately (they would have
// to be woken); draining hosts not at all. The figures are not additive across profiles: the
// same free slots are counted for each profile that could use them.
// The licence bound: at most as many as the profile's edition has free seats for a normal claim
// (plus vWS seats for B when B may borrow), assuming one vGPU per VM.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scheduler/model/state.hpp"
#include "scheduler/vgpu/vgpu_config.hpp"

namespace vgpu::scheduler::vgpu {

struct ProfileCapacity {
  ProfileIndex profile = 0;
  int gpus = 0;                           // managed GPUs that support it (any host state)
  std::int64_t free = 0;                  // on active hosts
  std::int64_t free_standby = 0;          // on standby hosts
  std::optional<std::int64_t> free_seats;  // for its edition; nullopt: unlimited
  std::int64_t licence_bound = 0;          // min(free, free_seats)
};

// Every profile some managed GPU supports, in catalog order.
std::vector<ProfileCapacity> profile_capacity(const State& state, const VgpuConfig& config);
// One profile (a GPU that does not support it counts nothing).
ProfileCapacity profile_capacity(const State& state, const VgpuConfig& config,
                                 ProfileIndex profile);

struct ProfileUse {
  ProfileIndex profile = 0;
  int used = 0;  // vGPUs of it on the GPU
  int free = 0;  // free_count now
};

struct GpuSummary {
  const ManagedGpu* gpu = nullptr;
  const Provider* provider = nullptr;
  int vgpus = 0;
  std::vector<ProfileUse> profiles;  // the supported ones, then any other placed (unknown: -1)
  double watts = 0;                  // modelled draw now (0 while the host is in standby)
};

struct HostSummary {
  const ManagedHost* host = nullptr;
  std::vector<GpuSummary> gpus;      // in the host's order; GPUs whose provider is gone left out
  int vgpus = 0;
  double watts = 0;                  // power_model host_watts now
};

HostSummary summarize_host(const State& state, const VgpuConfig& config, const ManagedHost& host);
std::vector<HostSummary> summarize_hosts(const State& state, const VgpuConfig& config);

}  // namespace vgpu::scheduler::vgpu
