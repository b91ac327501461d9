#include "scheduler/vgpu/score_stranding.hpp"

#include <algorithm>

namespace vgpu::scheduler::vgpu {

double free_share(const Catalog& catalog, const GpuState& gpu) {
  if (gpu.board < 0 || static_cast<std::size_t>(gpu.board) >= catalog.boards().size()) return 0;
  const std::int64_t capacity = catalog.board(gpu.board).framebuffer_mb;
  if (capacity <= 0) return 0;
  std::int64_t used = 0;
  for (const PlacedVgpu& v : gpu.placed)
    if (v.profile >= 0 && static_cast<std::size_t>(v.profile) < catalog.profiles().size())
      used += catalog.profile(v.profile).framebuffer_mb;
  return std::clamp(1.0 - static_cast<double>(used) / static_cast<double>(capacity), 0.0, 1.0);
}

double stranded_gpus(std::span<const HostResourceAsk> resources, double gpu_room_after) {
  for (const HostResourceAsk& r : resources) {
    if (r.ask <= 0) continue;
    if (r.free_before - r.ask < r.ask) return std::max(0.0, gpu_room_after);
  }
  return 0;
}

}  // namespace vgpu::scheduler::vgpu
