#include "scheduler/search/gpu_room.hpp"

#include "scheduler/vgpu/score_stranding.hpp"

namespace vgpu::scheduler::search {

double gpu_room(const State& state, ProviderId root, const vgpu::Catalog& catalog) {
  const ManagedHost* host = state.managed_host_of_root(root);
  if (!host) return 0;
  double room = 0;
  for (const Uuid& u : host->gpus) {
    const Provider* p = state.provider(u);
    const ManagedGpu* g = p ? state.managed_gpu(p->id) : nullptr;
    if (g) room += vgpu::free_share(catalog, g->gpu);
  }
  return room;
}

}  // namespace vgpu::scheduler::search
