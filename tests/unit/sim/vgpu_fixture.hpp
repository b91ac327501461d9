#pragma once
// Hand-made clusters of the vGPU modes: hosts reported through the vGPU layer, vGPUs placed by
// the same search and claim path the simulator uses, and where a candidate landed.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "scheduler/search/search.hpp"
#include "scheduler/sim/policy_registry.hpp"
#include "scheduler/sim/vgpu_mode.hpp"
#include "tests/unit/sim/sim_fixture.hpp"

namespace vgpu::scheduler::sim::test {

// A request of `num_gpu` GPUs at `gpu_milli` each, 1 vCPU.
inline RequestSpec vgpu_pod(std::int64_t gpu_milli, int num_gpu = 1, std::int64_t cpu_milli = 1000) {
  return pod(cpu_milli, gpu_milli, num_gpu);
}

// The first candidate of `policy` for `r`, or nullopt when nothing fits.
inline std::optional<search::Candidate> vgpu_search(const VgpuMode& mode, const SimCluster& c,
                                                    const std::string& policy, const RequestSpec& r,
                                                    const FgdFragmentation* frag = nullptr) {
  const search::Profile profile =
      builtin_policies().build(policy, PolicyContext{c, mode.node_model(c), frag, 1});
  const auto request = mode.search_request(c, r);
  if (!request) return std::nullopt;
  const auto found = search::CandidateSearch(profile).run(c.state(), *request);
  if (found.empty()) return std::nullopt;
  return found.front();
}

// Places `r` with first-fit (the hand-made starting states); REQUIREs that it fits.
inline void vgpu_place(const VgpuMode& mode, SimCluster& c, const RequestSpec& r) {
  const auto cand = vgpu_search(mode, c, "first-fit", r);
  REQUIRE(cand);
  c.place(*cand);
}

// Places `r` (one GPU) on GPU `gpu` of host `h` by hand, claimed as the simulator claims (the
// vGPU rules decide where on the GPU); REQUIREs that the profile exists.
inline void vgpu_place_on(const VgpuMode& mode, SimCluster& c, std::size_t h, std::size_t gpu,
                          const RequestSpec& r) {
  const auto request = mode.search_request(c, r);
  REQUIRE(request);
  search::Candidate cand;
  cand.anchor = c.hosts().at(h).root;
  const ProviderId gpu_id = c.state().provider(cand.anchor)->children.at(gpu);
  for (const search::GroupRequest& g : request->groups)
    for (const search::ResourceAmount& a : g.resources)
      cand.allocations.push_back({g.suffix.empty() ? cand.anchor : gpu_id, a.resource_class, a.amount});
  c.place(cand);
}

// (host index in spec order by name, GPU index) of a candidate's first vGPU.
inline Choice vgpu_choice(const SimCluster& c, const search::Candidate& cand) {
  Choice out;
  for (std::size_t h = 0; h < c.hosts().size(); ++h) {
    if (c.hosts()[h].root != cand.anchor) continue;
    out.host = static_cast<int>(h);
    const Provider* root = c.state().provider(cand.anchor);
    for (const auto& a : cand.allocations)
      for (std::size_t g = 0; g < root->children.size(); ++g)
        if (root->children[g] == a.provider && out.gpu < 0) out.gpu = static_cast<int>(g);
  }
  return out;
}

// The profile names placed on GPU `gpu` of host `h`.
inline std::vector<std::string> placed_on(const VgpuMode& mode, const SimCluster& c, std::size_t h,
                                          std::size_t gpu) {
  std::vector<std::string> out;
  const Provider* root = c.state().provider(c.hosts().at(h).root);
  const ManagedGpu* g = c.state().managed_gpu(root->children.at(gpu));
  REQUIRE(g);
  for (const auto& v : g->gpu.placed) out.push_back(mode.config().catalog.profile(v.profile).name);
  return out;
}

}  // namespace vgpu::scheduler::sim::test
