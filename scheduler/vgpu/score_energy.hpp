#pragma once
// Energy score: prefer the placement that adds the fewest watts (power_model.hpp's
// marginal_watts), so VMs consolidate onto GPUs and hosts that are already busy and idle ones
// can stay idle or go to standby.
//
// With m = marginal watts (negative counts as 0, NaN as infinite) and R = reference_watts > 0:
//   awake host (active, draining):  100 - (100 - kAwakeFloor) * min(m / R, 1)    in [20, 100]
//   standby host:                   kStandbyCeiling * R / (R + m)                in (0, 10]
// R is the dearest marginal an awake placement of the request can cost, typically the board's
// busy - idle watts (one profile belongs to one board), so an already-busy GPU (m = 0) scores
// 100 and waking an idle GPU scores kAwakeFloor. The two bands do not overlap: a standby host
// always ranks below every awake one, whatever the watts; among standby hosts the one cheaper
// to wake scores higher, all close to 0. Without a positive R, an awake host scores 100 when
// m = 0 and kAwakeFloor otherwise, and a standby host scores 0.
#include "scheduler/vgpu/power_model.hpp"

namespace vgpu::scheduler::vgpu {

inline constexpr double kAwakeFloor = 20;
inline constexpr double kStandbyCeiling = 10;

struct EnergyInput {
  double marginal_watts = 0;
  HostPowerState host_state = HostPowerState::active;
  double reference_watts = 0;
};

// 0..100, 100 = no extra power.
double energy_score(const EnergyInput&);

}  // namespace vgpu::scheduler::vgpu
