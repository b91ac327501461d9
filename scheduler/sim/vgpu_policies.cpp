// The policies added for the vGPU question (issue 5): first-fit, spread, gpu-packing, fgd-vgpu
// and ours. first-fit, spread and gpu-packing also run in fractional mode; fgd-vgpu and ours
// need a vGPU mode (the vGPU layer in the state).
#include <algorithm>
#include <memory>
#include <stdexcept>

#include "scheduler/search/plugins/policy_vgpu_plugins.hpp"
#include "scheduler/search/registry.hpp"
#include "scheduler/sim/policy_registry.hpp"
#include "scheduler/sim/vgpu_fragmentation.hpp"

namespace vgpu::scheduler::sim {
namespace {

std::vector<search::WeightedScore> one(std::unique_ptr<search::ScorePlugin> p) {
  std::vector<search::WeightedScore> v;
  v.push_back({std::move(p), 1});
  return v;
}

const vgpu::VgpuConfig& needs_vgpu(const PolicyContext& c, const char* policy) {
  if (!c.cluster.vgpu())
    throw std::invalid_argument(std::string("policy '") + policy +
                                "' needs a vGPU mode (--mode vgpu, vgpu-static or vgpu-mig)");
  return *c.cluster.vgpu();
}

}  // namespace

void add_vgpu_policies(PolicyRegistry& r) {
  // Every policy here is tree-local (policy_registry.hpp): a tree's scores are read from the
  // tree (its GPUs, host, root) and the request, so the protocol reuses them while the tree is
  // unchanged.
  // rank_trees off: every score is equal, so the search's plain order (roots by id, GPUs by id)
  // is first-fit already, without a walk of every tree per request.
  r.add("first-fit", "the first host by name that fits, its first GPU the rules allow",
        [](const PolicyContext&) { return one(search::make_policy_first_fit()); }, false, true);
  r.add("spread", "the host with the most free RAM and vCPUs (Nova's default weighers)",
        [](const PolicyContext& c) {
          std::int64_t cpu = 0, memory = 0;
          for (const HostSpec& h : c.cluster.spec().hosts) {
            cpu = std::max(cpu, h.cpu_milli);
            memory = std::max(memory, h.memory_mib);
          }
          return one(search::make_policy_spread(c.model, cpu, memory, c.cluster.memory()));
        },
        true, true);
  r.add("gpu-packing", "occupied GPUs first, then idle GPUs of busy hosts, idle hosts last (FGD paper's GpuPacking)",
        [](const PolicyContext& c) { return one(search::make_policy_gpu_packing(c.model)); }, true,
        true);
  r.add("fgd-vgpu", "FGD with fragmentation counted in profiles the GPUs could still take",
        [](const PolicyContext& c) {
          const vgpu::VgpuConfig& config = needs_vgpu(c, "fgd-vgpu");
          if (!c.fragmentation)
            throw std::invalid_argument("policy 'fgd-vgpu' needs a target workload (the pod list)");
          return one(search::make_policy_fgd_vgpu(
              c.model, std::make_shared<const VgpuFragmentation>(c.fragmentation->target(), config.catalog,
                                                                 c.model.units_per_gpu)));
        },
        true, true);
  // The service's own ranking: the scores of its default vGPU profile (MostAllocated 1,
  // VgpuScore 100 with the default weights), trees ranked by the vGPU score's parts as the
  // service's search does (rank_trees off).
  r.add("ours", "the service's vGPU score (packing, fragmentation, energy; default weights)",
        [](const PolicyContext& c) {
          const vgpu::VgpuConfig& config = needs_vgpu(c, "ours");
          return search::build_profile(search::vgpu_profile_config(), &config).scores;
        },
        false, true);
}

}  // namespace vgpu::scheduler::sim
