#include "scheduler/sim/sim_cluster.hpp"

#include <algorithm>
#include <stdexcept>

#include "scheduler/allocation/claim_changes.hpp"
#include "scheduler/model/provisional_id.hpp"
#include "scheduler/vgpu/claim_rules.hpp"

namespace vgpu::scheduler::sim {
namespace {

// Deterministic uuids: the simulator's runs are reproducible byte for byte.
Uuid make_uuid(std::uint8_t kind, std::uint64_t n) {
  Uuid u;
  u.bytes[0] = kind;
  for (int i = 0; i < 8; ++i) u.bytes[15 - i] = static_cast<std::uint8_t>(n >> (8 * i));
  u.bytes[6] = 0x40;  // version 4 layout
  u.bytes[8] = 0x80;
  return u;
}

}  // namespace

SimCluster::SimCluster(ClusterSpec spec) : spec_(std::move(spec)) {
  vcpu_ = add_class("VCPU");
  memory_ = add_class("MEMORY_MB");
}

ClassId SimCluster::add_class(const std::string& name) {
  if (auto id = state_.classes().id_of(name)) return *id;
  state_.load_class(next_class_, name);
  return next_class_++;
}

TraitId SimCluster::add_trait(const std::string& name) {
  if (auto id = state_.traits().id_of(name)) return *id;
  state_.load_trait(next_trait_, name);
  return next_trait_++;
}

std::optional<ClassId> SimCluster::class_id(std::string_view name) const {
  return state_.classes().id_of(name);
}
std::optional<TraitId> SimCluster::trait_id(std::string_view name) const {
  return state_.traits().id_of(name);
}

void SimCluster::add_host(std::size_t spec_index,
                          const std::vector<FlatMap<ClassId, Inventory>>& gpus,
                          const std::vector<TraitId>& gpu_traits) {
  const HostSpec& h = spec_.hosts.at(spec_index);
  auto inventory = [](std::int64_t total) { return Inventory{total, 0, 1, total, 1, 1.0}; };
  SimHost host;
  host.spec = spec_index;
  Provider root;
  root.id = host.root = next_provider_++;
  root.uuid = make_uuid(1, root.id);
  root.name = h.name;
  if (h.cpu_milli > 0) root.inventories[vcpu_] = inventory(h.cpu_milli);
  if (h.memory_mib > 0) root.inventories[memory_] = inventory(h.memory_mib);
  state_.load_provider(root);
  std::vector<TraitId> traits = gpu_traits;
  std::sort(traits.begin(), traits.end());
  traits.erase(std::unique(traits.begin(), traits.end()), traits.end());
  for (std::size_t g = 0; g < gpus.size(); ++g) {
    Provider gpu;
    gpu.id = next_provider_++;
    gpu.uuid = make_uuid(1, gpu.id);
    gpu.name = h.name + "_gpu" + std::to_string(g);
    gpu.parent = host.root;
    gpu.inventories = gpus[g];
    gpu.traits = traits;
    state_.load_provider(gpu);
    host.gpus.push_back(gpu.id);
  }
  const auto slot = static_cast<std::size_t>(host.root);
  if (host_by_root_.size() <= slot) host_by_root_.resize(slot + 1, 0);
  if (tree_versions_.size() <= slot) tree_versions_.resize(slot + 1, 0);
  hosts_.push_back(std::move(host));
  host_by_root_[slot] = hosts_.size();
}

void SimCluster::finish() {
  state_.link_trees();
  state_.derive_usage();
}

const SimHost* SimCluster::host_of_root(ProviderId root) const {
  if (root < 0 || static_cast<std::size_t>(root) >= host_by_root_.size()) return nullptr;
  const std::size_t index = host_by_root_[static_cast<std::size_t>(root)];
  return index == 0 ? nullptr : &hosts_[index - 1];
}

template <typename Allocations>
void SimCluster::touch_trees(const Allocations& allocations) {
  for (const auto& a : allocations) {
    const Provider* p = state_.provider(a.provider);
    if (!p || p->root < 0) continue;
    const auto root = static_cast<std::size_t>(p->root);
    if (tree_versions_.size() <= root) tree_versions_.resize(root + 1, 0);
    ++tree_versions_[root];
  }
}

Uuid SimCluster::place(const search::Candidate& candidate) {
  allocation::ConsumerClaim claim;
  const std::uint64_t number = next_consumer_++;
  claim.consumer = make_uuid(2, number);
  claim.project_id = "sim";
  claim.user_id = "sim";
  for (const search::AllocationPart& a : candidate.allocations)
    claim.allocations.push_back({a.provider, a.resource_class, a.amount});
  ChangeSet changes = allocation::claim_changes(state_, {claim}, ++clock_);
  if (vgpu_ && vgpu::touches_vgpu_layer(state_, {claim})) {
    const vgpu::ClaimOutcome outcome = vgpu::check_vgpu_claims(state_, *vgpu_, {claim});
    // The search offered this candidate on this very state: a refusal is a bug, not a miss.
    if (!outcome.ok()) throw std::logic_error("simulator: claim refused: " + outcome.refusal->detail);
    vgpu::fill_vgpu_changes(outcome, changes);
  }
  // A new consumer's id, as the store assigns it on insert (what sits on a managed GPU is
  // derived per consumer id).
  for (Change& c : changes.changes)
    if (auto* put = std::get_if<PutConsumer>(&c); put && put->consumer.id == 0)
      put->consumer.id = static_cast<ConsumerId>(number);
  state_ = state_.with_changes(changes);
  touch_trees(candidate.allocations);
  return claim.consumer;
}

void SimCluster::release(const Uuid& consumer) {
  allocation::ConsumerClaim claim;
  claim.consumer = consumer;
  ChangeSet changes = allocation::claim_changes(state_, {claim}, ++clock_);
  if (vgpu_ && vgpu::touches_vgpu_layer(state_, {claim})) {
    const vgpu::ClaimOutcome outcome = vgpu::check_vgpu_claims(state_, *vgpu_, {claim});
    if (outcome.ok()) vgpu::fill_vgpu_changes(outcome, changes);
  }
  if (const Consumer* gone = state_.consumer(consumer)) touch_trees(gone->allocations);
  state_ = state_.with_changes(changes);
}

void SimCluster::apply(ChangeSet changes) {
  for (std::size_t i = 0; i < changes.changes.size(); ++i) {
    Change& c = changes.changes[i];
    // Custom classes get ids from kFirstCustomClassId up, as the store's do (the vGPU layer
    // reads no profile into a standard class id).
    if (auto* a = std::get_if<AddResourceClass>(&c)) a->id = next_custom_class_++;
    if (auto* a = std::get_if<AddTrait>(&c)) a->id = next_trait_++;
    if (auto* a = std::get_if<CreateProvider>(&c)) a->provider.id = next_provider_++;
    bind_provisional_id(changes, i);
  }
  state_ = state_.with_changes(changes);
  // Anything may have changed (a host report creates providers and the vGPU layer's hosts).
  tree_versions_.resize(static_cast<std::size_t>(next_provider_), 0);
  for (std::uint64_t& v : tree_versions_) ++v;
}

}  // namespace vgpu::scheduler::sim
