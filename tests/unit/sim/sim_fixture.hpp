#pragma once
// Small hand-made clusters for the simulator tests: fractional mode, hosts in name order, and
// pods already placed on chosen GPUs (claimed the way the simulator claims).
#include <string>
#include <vector>

#include "scheduler/search/search.hpp"
#include "scheduler/sim/fractional_mode.hpp"
#include "scheduler/sim/sim_cluster.hpp"

namespace vgpu::scheduler::sim::test {

inline HostSpec host(std::string name, std::int64_t cpu_milli, int gpus,
                     std::string model = "G2", std::int64_t memory_mib = 262144) {
  return HostSpec{std::move(name), cpu_milli, memory_mib, gpus, gpus ? std::move(model) : ""};
}

inline RequestSpec pod(std::int64_t cpu_milli, std::int64_t gpu_milli, int num_gpu = 1,
                       std::int64_t memory_mib = 1024) {
  RequestSpec r;
  r.name = "pod";
  r.cpu_milli = cpu_milli;
  r.memory_mib = memory_mib;
  r.num_gpu = gpu_milli > 0 ? num_gpu : 0;
  r.gpu_milli = gpu_milli;
  return r;
}

// Claims cpu_milli on host `h` and `milli` on its GPU `gpu`, as a placed pod would.
inline void occupy(SimCluster& c, std::size_t h, std::size_t gpu, std::int64_t milli,
                   std::int64_t cpu_milli = 0) {
  const SimHost& sh = c.hosts().at(h);
  search::Candidate cand;
  cand.anchor = sh.root;
  if (cpu_milli > 0) cand.allocations.push_back({sh.root, c.vcpu(), cpu_milli});
  if (milli > 0) cand.allocations.push_back({sh.gpus.at(gpu), *c.class_id(kGpuMilliClass), milli});
  c.place(cand);
}

// Which host (index in hosts()) and GPU (index) a candidate uses for its GPU part; -1 if none.
struct Choice {
  int host = -1;
  int gpu = -1;
  friend bool operator==(const Choice&, const Choice&) = default;
};
inline Choice choice_of(const SimCluster& c, const search::Candidate& cand) {
  Choice out;
  for (std::size_t h = 0; h < c.hosts().size(); ++h) {
    if (c.hosts()[h].root != cand.anchor) continue;
    out.host = static_cast<int>(h);
    for (const auto& a : cand.allocations)
      for (std::size_t g = 0; g < c.hosts()[h].gpus.size(); ++g)
        if (c.hosts()[h].gpus[g] == a.provider && out.gpu < 0) out.gpu = static_cast<int>(g);
  }
  return out;
}

}  // namespace vgpu::scheduler::sim::test
