#pragma once
// The vGPU layer of the placement state: hosts reported through the vGPU API (PUT
// /vgpu/v1/hosts/{hostname}) and their physical GPUs, each tied to the Placement provider that
// Nova's libvirt driver would create for it (root = compute node, one child per pGPU named
// `<host>_pci_0000_84_00_0`). Providers not listed here are plain Placement providers: the
// vGPU rules leave them alone.
//
// What sits on a GPU is not stored here but derived, like Provider::usage, from the consumers'
// VgpuAssignments (consumer.hpp): one source of truth, released with the consumer.
#include <cstdint>
#include <string>
#include <vector>

#include "scheduler/model/ids.hpp"
#include "scheduler/model/uuid.hpp"
#include "scheduler/vgpu/gpu_state.hpp"
#include "scheduler/vgpu/licence_pool.hpp"
#include "scheduler/vgpu/power_model.hpp"

namespace vgpu::scheduler {

// Nova's two ways of naming a vGPU (domain/nova.md §1, §3):
//   resource_class  one CUSTOM_VGPU_<PROFILE> class per profile ([mdev_<type>] mdev_class):
//                   the pGPU has one inventory per supported profile; a claim names its profile.
//   trait           `VGPU` plus a CUSTOM_NVIDIA_<PROFILE> trait per supported profile: the
//                   request names the profile by a required trait; a claim (which carries no
//                   traits) means the GPU's current profile, or its only supported one.
enum class VgpuNaming : std::uint8_t { resource_class, trait };

struct ManagedGpu {
  ProviderId provider = kNoProvider;  // the pGPU child provider (resolved from provider_uuid)
  Uuid provider_uuid;
  std::string hostname;               // its host (ManagedHost::hostname)
  std::string pci_address;            // "0000:84:00.0"
  // board, mode, supported profiles; `placed` is derived from the consumers' assignments and
  // `placed_by[i]` is the consumer of placed[i].
  vgpu::GpuState gpu;
  std::vector<ConsumerId> placed_by;
  vgpu::GpuPowerFigures power;        // what the host reported; unset = the board's defaults
  VgpuNaming naming = VgpuNaming::resource_class;
};

struct ManagedHost {
  std::string hostname;
  ProviderId root = kNoProvider;      // the compute node's root provider (resolved from root_uuid)
  Uuid root_uuid;
  vgpu::HostPowerState state = vgpu::HostPowerState::active;
  double idle_watts = 0;              // the host without its GPUs, awake
  double standby_watts = 0;
  std::vector<Uuid> gpus;             // its GPUs' provider uuids, in the host's order
  std::int64_t updated_at = 0;
};

// Licence pools as configured (totals, reserves) with `used` maintained from every committed
// SeatChange; the database keeps the same counter and checks it in SQL (licence_pool.hpp).
using LicencePools = vgpu::LicencePools;

}  // namespace vgpu::scheduler
