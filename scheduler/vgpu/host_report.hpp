#pragma once
// What a compute host reports through PUT /vgpu/v1/hosts/{hostname} (or `vgpu-placement agent`
// reads from its sysfs): its physical GPUs and the vGPUs live on them, as plain values. The API
// parses JSON into this; host_tree.hpp turns it into the Placement provider tree. Field names
// are the JSON ones, so that error messages can name them (`gpus[1].board`).
#include <optional>
#include <string>
#include <vector>

#include "scheduler/model/managed_gpu.hpp"
#include "scheduler/model/uuid.hpp"
#include "scheduler/vgpu/catalog.hpp"
#include "scheduler/vgpu/power_model.hpp"

namespace vgpu::scheduler::vgpu {

struct ReportedGpu {
  std::string pci_address;                      // "0000:84:00.0" (domain:bus:device.function)
  std::string board;                            // catalog board code: "A40", "A100D"
  GpuMode mode = GpuMode::equal_size;
  std::vector<std::string> supported_profiles;  // names; empty: every profile of the board
                                                // offered in the GPU's mode
  GpuPowerFigures power;                        // unset figures: the board's defaults
  VgpuNaming naming = VgpuNaming::resource_class;
};

// A vGPU the host sees running (an mdev / a VF with a vGPU type), for the `check` comparison.
struct ReportedVgpu {
  std::string profile;                 // "A40-4Q"
  std::string gpu;                     // pci_address of its GPU
  std::optional<int> start;            // placement id / memory slice, when the host knows it
  std::optional<Uuid> consumer;        // the instance it belongs to, when the host knows it
};

struct HostReport {
  std::string hostname;                // the compute node's hypervisor_hostname
  // The compute node's uuid (Nova's ComputeNode uuid), when the host knows it: a root the
  // service creates gets it, so that nova-compute later finds its own provider instead of
  // failing on a duplicate name. Without it a new root gets a fresh uuid.
  std::optional<Uuid> root_uuid;
  std::vector<ReportedGpu> gpus;
  std::vector<ReportedVgpu> vgpus;
  double idle_watts = 0;               // the host without its GPUs, awake
  double standby_watts = 0;
};

}  // namespace vgpu::scheduler::vgpu
