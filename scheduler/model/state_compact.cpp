// State::compacted: a snapshot rebuilt through the loaders, as the store builds one from the
// database, so that what it holds is by construction what a restart would hold.
#include <utility>
#include <vector>

#include "scheduler/model/state.hpp"

namespace vgpu::scheduler {

State State::compacted() const {
  State out;
  for (auto& [id, name] : classes().sorted_by_id()) out.load_class(id, std::move(name));
  for (auto& [id, name] : traits().sorted_by_id()) out.load_trait(id, std::move(name));
  for (const Provider* p : providers()) {
    Provider copy = *p;
    // Derived again below (link_trees, derive_usage), as after a load.
    copy.children.clear();
    copy.usage = {};
    copy.consumers.clear();
    out.load_provider(std::move(copy));
  }
  out.link_trees();
  for (const ManagedHost* host : managed_hosts()) {
    std::vector<ManagedGpu> gpus;
    for (const Uuid& u : host->gpus) {
      const Provider* p = provider(u);
      const ManagedGpu* g = p ? managed_gpu(p->id) : nullptr;
      if (!g) continue;
      ManagedGpu copy = *g;
      copy.gpu.placed.clear();  // derived from the consumers
      copy.placed_by.clear();
      gpus.push_back(std::move(copy));
    }
    out.load_managed_host(*host, std::move(gpus));
  }
  LicencePools pools = licence_pools();
  out.load_licence_pools(std::move(pools));
  for_each_consumer([&](const Consumer& c) { out.load_consumer(c); });
  out.derive_usage();
  return out;
}

}  // namespace vgpu::scheduler
