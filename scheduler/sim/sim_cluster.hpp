#pragma once
// The simulated cluster: a scheduler State built exactly as the service would hold it (one root
// provider per host with VCPU and MEMORY_MB inventories, one child provider per GPU with what
// the mode puts on it), plus the index from hosts to providers. Placing a request applies the
// search's first candidate as a consumer's allocations through the same ChangeSet a claim
// (PUT /allocations) commits; releasing one deletes the consumer. No HTTP, no database.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/model/flat_map.hpp"
#include "scheduler/model/inventory.hpp"
#include "scheduler/model/state.hpp"
#include "scheduler/search/candidate.hpp"
#include "scheduler/sim/trace.hpp"
#include "scheduler/vgpu/vgpu_config.hpp"

namespace vgpu::scheduler::sim {

struct SimHost {
  std::size_t spec = 0;            // index in ClusterSpec::hosts
  ProviderId root = kNoProvider;
  std::vector<ProviderId> gpus;    // GPU index order (ascending provider ids)
};

class SimCluster {
 public:
  // Registers VCPU and MEMORY_MB; the mode adds its classes and traits, then its hosts.
  explicit SimCluster(ClusterSpec spec);

  ClassId add_class(const std::string& name);   // idempotent
  TraitId add_trait(const std::string& name);   // idempotent
  std::optional<ClassId> class_id(std::string_view name) const;
  std::optional<TraitId> trait_id(std::string_view name) const;
  ClassId vcpu() const { return vcpu_; }
  ClassId memory() const { return memory_; }

  // One host: a root with VCPU = cpu_milli and MEMORY_MB = memory_mib, and one child per entry
  // of `gpus` (its inventories and traits). Call finish() after the last host.
  void add_host(std::size_t spec_index, const std::vector<FlatMap<ClassId, Inventory>>& gpus,
                const std::vector<TraitId>& gpu_traits);
  void finish();

  const ClusterSpec& spec() const { return spec_; }
  const State& state() const { return state_; }
  const std::vector<SimHost>& hosts() const { return hosts_; }
  const SimHost* host_of_root(ProviderId root) const;

  // The vGPU modes (vgpu_mode.hpp): the vGPU configuration (must outlive the cluster and its
  // copies) makes place() run the claim path's vGPU rules (which vGPUs, where), as the service
  // does; apply() commits a ChangeSet such as a host report's, binding its provisional ids the
  // way the store does (each created entity gets the next id).
  void set_vgpu(const vgpu::VgpuConfig* config) { vgpu_ = config; }
  const vgpu::VgpuConfig* vgpu() const { return vgpu_; }
  void apply(ChangeSet changes);

  // Claims the candidate's allocations for a new consumer; returns its uuid.
  Uuid place(const search::Candidate& candidate);
  // Gives a consumer's allocations back (a departure).
  void release(const Uuid& consumer);

  // By root id: a number that changes whenever anything in that host's tree changes (place,
  // release; apply() changes every one): what a search::TreeMemo needs to reuse a tree's
  // evaluation across requests.
  const std::vector<std::uint64_t>& tree_versions() const { return tree_versions_; }

 private:
  ClusterSpec spec_;
  State state_;
  std::vector<SimHost> hosts_;
  std::vector<std::size_t> host_by_root_;  // root id -> index in hosts_ + 1 (0: none)
  std::vector<std::uint64_t> tree_versions_;  // by root id
  ClassId vcpu_ = 0;
  ClassId memory_ = 0;
  ClassId next_class_ = 0;
  ClassId next_custom_class_ = kFirstCustomClassId;  // apply()'s AddResourceClass
  TraitId next_trait_ = 0;
  ProviderId next_provider_ = 1;
  std::uint64_t next_consumer_ = 1;
  std::int64_t clock_ = 0;
  const vgpu::VgpuConfig* vgpu_ = nullptr;

  // A new version for the tree of each provider the allocations are on.
  template <typename Allocations>
  void touch_trees(const Allocations& allocations);
};

}  // namespace vgpu::scheduler::sim
