#pragma once
// Placement policies by name. A policy is nothing but score plugins of the candidate search
// (scheduler/search/plugins/policy_*.cpp) put into a search profile with the plain Placement
// filters and permits and Profile::rank_trees on; the simulator loop knows no policy.
//
// Adding a policy: write its ScorePlugin (score() for the choice inside a host,
// candidate_score() for the order of hosts), then registry.add("name", "what it does", factory)
// where the factory returns its weighted plugins for a PolicyContext.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/search/plugin.hpp"
#include "scheduler/sim/fgd_fragmentation.hpp"
#include "scheduler/sim/node_view.hpp"
#include "scheduler/sim/sim_cluster.hpp"

namespace vgpu::scheduler::sim {

// What a policy may be built from, per run.
struct PolicyContext {
  const SimCluster& cluster;
  NodeModel model;
  const FgdFragmentation* fragmentation = nullptr;  // the target workload's; null: none
  std::uint64_t seed = 42;                          // for the policy's own random draws
};

using PolicyFactory = std::function<std::vector<search::WeightedScore>(const PolicyContext&)>;

class PolicyRegistry {
 public:
  // `rank_trees` off: the policy's scores rank trees the service's way (the vGPU score's parts,
  // search.cpp) instead of by candidate_score ("ours").
  // `tree_local`: the policy's scores of a tree depend on that tree and the request alone (no
  // random draws, nothing carried from one tree or request to the next), so that the protocol
  // may reuse a tree's evaluation while the tree does not change (search::TreeMemo). Off: every
  // tree is evaluated for every request.
  void add(std::string name, std::string description, PolicyFactory factory, bool rank_trees = true,
           bool tree_local = false);
  bool has(std::string_view name) const;
  bool tree_local(std::string_view name) const;
  std::vector<std::string> names() const;
  const std::string& description(std::string_view name) const;
  // The plain filters and permits plus the policy's scores, rank_trees on. On a cluster of a
  // vGPU mode (SimCluster::vgpu()) the filters and permits are the service's vGPU profile's
  // (search::vgpu_profile_config(): equal-size and MIG rules, licences) instead. Throws
  // std::invalid_argument for an unknown name (the message lists the known ones) or when the
  // policy needs what the context lacks.
  search::Profile build(std::string_view name, const PolicyContext& context) const;

 private:
  struct Entry {
    std::string name;
    std::string description;
    PolicyFactory factory;
    bool rank_trees = true;
    bool tree_local = false;
  };
  const Entry& find(std::string_view name) const;
  std::vector<Entry> entries_;
};

// random, best-fit, fgd; and first-fit, spread, gpu-packing, fgd-vgpu, ours
// (vgpu_policies.cpp; fgd-vgpu and ours need a vGPU mode).
PolicyRegistry builtin_policies();
void add_vgpu_policies(PolicyRegistry& registry);

}  // namespace vgpu::scheduler::sim
