#include "scheduler/vgpu/score_energy.hpp"

#include <algorithm>
#include <cmath>

namespace vgpu::scheduler::vgpu {

double energy_score(const EnergyInput& in) {
  // An unknown (NaN) marginal counts as the dearest: never prefer what cannot be costed.
  const double m = std::isnan(in.marginal_watts) ? HUGE_VAL : std::max(0.0, in.marginal_watts);
  const double r = in.reference_watts;
  const bool has_reference = std::isfinite(r) && r > 0;
  if (is_awake(in.host_state)) {
    if (!has_reference) return m == 0 ? 100.0 : kAwakeFloor;
    return 100.0 - (100.0 - kAwakeFloor) * std::min(m / r, 1.0);
  }
  if (!has_reference) return 0.0;
  return kStandbyCeiling * r / (r + m);
}

}  // namespace vgpu::scheduler::vgpu
