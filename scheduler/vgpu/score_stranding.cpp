#include "scheduler/vgpu/score_stranding.hpp"

#include <algorithm>

namespace vgpu::scheduler::vgpu {

double stranded_gpus(std::span<const HostResourceAsk> resources, double gpu_room_after) {
  for (const HostResourceAsk& r : resources) {
    if (r.ask <= 0) continue;
    if (r.free_before - r.ask < r.ask) return std::max(0.0, gpu_room_after);
  }
  return 0;
}

}  // namespace vgpu::scheduler::vgpu
