#include "scheduler/vgpu/score_packing.hpp"

#include <algorithm>

namespace vgpu::scheduler::vgpu {
namespace {

double fill(double used, double capacity) {
  if (!(capacity > 0)) return 0;
  return std::clamp(used / capacity, 0.0, 1.0);
}

}  // namespace

double packing_score(const PackingInput& in) {
  const double gpu =
      fill(static_cast<double>(in.gpu_used_after), static_cast<double>(in.gpu_capacity));
  const double host = fill(in.host_gpus_busy, in.host_gpus_total);
  return 100.0 * (kGpuFillShare * gpu + (1.0 - kGpuFillShare) * host);
}

}  // namespace vgpu::scheduler::vgpu
