#pragma once
// A host's modelled electrical power, for energy-aware placement and for the simulator's energy
// over time. Deliberately coarse (domain/vgpu.md §5: idle draw is tens of watts, a resident
// CUDA context adds tens more whatever the VRAM used): a GPU draws `idle_watts` with no vGPU and
// `busy_watts` with one, plus an optional `per_vgpu_watts` for each further vGPU (0 by default:
// the measurements show no dependence on how much of the GPU is taken, so consolidating onto a
// busy GPU is free). A host adds its own `idle_watts` (CPUs, fans, PSU losses) while awake and
// draws `standby_watts` (0 unless configured) in standby, GPUs included.
//
// Marginal watts of one more vGPU on GPU g = power after - power before, hence:
//   busy GPU on an awake host     per_vgpu_watts(g)                     (0 by default)
//   idle GPU on an awake host     busy_watts(g) - idle_watts(g)
//   any GPU on a standby host     host idle + busy_watts(g) + sum of the other GPUs' idle
//                                 - standby_watts                       (waking it powers all)
// The simulator integrates host_watts over time for energy.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/vgpu/catalog.hpp"

namespace vgpu::scheduler::vgpu {

// A draining host is awake (it still runs its VMs) but should receive no new ones: that is a
// filter's decision; for power it is the same as active.
enum class HostPowerState : std::uint8_t { active, draining, standby };
std::string_view to_string(HostPowerState);  // "active", "draining", "standby"
std::optional<HostPowerState> host_power_state_from_string(std::string_view);
inline bool is_awake(HostPowerState s) { return s != HostPowerState::standby; }

// What a host reports or the operator configures for one GPU; unset figures fall back to the
// board's catalog defaults.
struct GpuPowerFigures {
  std::optional<double> idle_watts;
  std::optional<double> busy_watts;
  std::optional<double> per_vgpu_watts;
};

struct HostPowerFigures {
  double idle_watts = 0;     // the host without its GPUs, awake
  double standby_watts = 0;  // the whole host in standby
  std::vector<GpuPowerFigures> gpus;  // one per pGPU, in the host's GPU order
};

// Figures with every default applied.
struct GpuPower {
  double idle_watts = 0;
  double busy_watts = 0;
  double per_vgpu_watts = 0;  // each vGPU after the first
};

struct HostPower {
  double idle_watts = 0;
  double standby_watts = 0;
  std::vector<GpuPower> gpus;
};

// The catalog defaults of a board's GPU (no per-vGPU increment).
inline GpuPower default_gpu_power(const Board& b) { return {b.idle_watts, b.busy_watts, 0.0}; }

// Applies defaults: `defaults[i]` is GPU i's board default (sizes must match).
HostPower resolve(const HostPowerFigures&, std::span<const GpuPower> defaults);

// Draw of one GPU with `vgpus` resident, the host awake.
double gpu_watts(const GpuPower&, int vgpus);

// Modelled draw of the whole host; `vgpus_per_gpu[i]` = vGPUs resident on GPU i. A host with
// any vGPU resident is counted awake whatever `state` says (a VM keeps it up).
double host_watts(const HostPower&, HostPowerState, std::span<const int> vgpus_per_gpu);

// Extra draw of placing one more vGPU on GPU `gpu` (see the table above). Never negative.
double marginal_watts(const HostPower&, HostPowerState, std::span<const int> vgpus_per_gpu,
                      std::size_t gpu);

// Configuration check: every figure finite and >= 0, busy >= idle. Returns a message naming the
// field (e.g. `gpu 2 busy_watts 40 is below idle_watts 60`), or nullopt when valid.
std::optional<std::string> validate(const HostPower&);

}  // namespace vgpu::scheduler::vgpu
