#include "scheduler/search/gpu_room.hpp"

#include <algorithm>

namespace vgpu::scheduler::search {

double gpu_room(const State& state, ProviderId root, const vgpu::Catalog& catalog) {
  const ManagedHost* host = state.managed_host_of_root(root);
  if (!host) return 0;
  double room = 0;
  for (const Uuid& u : host->gpus) {
    const Provider* p = state.provider(u);
    const ManagedGpu* g = p ? state.managed_gpu(p->id) : nullptr;
    if (!g) continue;
    const auto board = static_cast<std::size_t>(g->gpu.board);
    if (g->gpu.board < 0 || board >= catalog.boards().size()) continue;
    const std::int64_t capacity = catalog.board(g->gpu.board).framebuffer_mb;
    if (capacity <= 0) continue;
    std::int64_t used = 0;
    for (const vgpu::PlacedVgpu& v : g->gpu.placed)
      if (v.profile >= 0 && static_cast<std::size_t>(v.profile) < catalog.profiles().size())
        used += catalog.profile(v.profile).framebuffer_mb;
    room += std::clamp(1.0 - static_cast<double>(used) / static_cast<double>(capacity), 0.0, 1.0);
  }
  return room;
}

}  // namespace vgpu::scheduler::search
