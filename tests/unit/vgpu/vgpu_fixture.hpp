#pragma once
// A small managed fleet for the vGPU State tests (claim rules, capacity, check): hosts with
// GPUs of the shipped catalog, built through the same ChangeSets the service commits, and
// claims run the way the API runs them (claim_changes, then the vGPU rules, then commit).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "scheduler/allocation/claim_changes.hpp"
#include "scheduler/model/state.hpp"
#include "scheduler/vgpu/claim_rules.hpp"
#include "scheduler/vgpu/data/default_catalog.hpp"
#include "scheduler/vgpu/name_resolver.hpp"
#include "scheduler/vgpu/profile_name.hpp"
#include "scheduler/vgpu/vgpu_config.hpp"

namespace vgpu::scheduler::test {

namespace vg = ::vgpu::scheduler::vgpu;

inline Uuid fixture_uuid(int n) {
  Uuid u;
  u.bytes[6] = 0x40;
  u.bytes[13] = 0x77;
  u.bytes[14] = static_cast<std::uint8_t>(n >> 8);
  u.bytes[15] = static_cast<std::uint8_t>(n);
  return u;
}

struct Fleet {
  vg::VgpuConfig config;
  State state;
  ClassId next_class = kFirstCustomClassId;
  ConsumerId next_consumer = 100;
  std::int64_t now = 1000;

  Fleet() {
    config.catalog = *vg::default_catalog();
    state.load_class(5, "VGPU");
    state.load_class(0, "VCPU");
  }

  vg::ProfileIndex profile(std::string_view name) const {
    const auto p = config.catalog.find_profile(name);
    REQUIRE(p);
    return *p;
  }
  ClassId cls(const std::string& name) {
    if (auto id = state.classes().id_of(name)) return *id;
    ChangeSet cs;
    cs.add(AddResourceClass{name, next_class++});
    state = state.with_changes(cs);
    return *state.classes().id_of(name);
  }
  ClassId class_of(std::string_view profile_name) {
    return cls(vg::resource_class_for(config, profile(profile_name)));
  }

  // A root provider `id` named `hostname` and a managed host on it (no GPUs yet).
  void host(ProviderId id, const std::string& hostname,
            vg::HostPowerState power = vg::HostPowerState::active) {
    ChangeSet cs;
    Provider root;
    root.id = id;
    root.uuid = fixture_uuid(static_cast<int>(id));
    root.name = hostname;
    root.inventories[0] = Inventory{64, 0, 1, 64, 1, 1.0};
    cs.add(CreateProvider{root});
    ManagedHost h;
    h.hostname = hostname;
    h.root_uuid = root.uuid;
    h.state = power;
    cs.add(PutManagedHost{h, {}});
    state = state.with_changes(cs);
  }

  // A managed GPU child `id` of the host, per the naming decision: one inventory per supported
  // profile class (resource_class) or one VGPU inventory (trait).
  void gpu(ProviderId id, const std::string& hostname, const std::string& pci,
           std::string_view board, vg::GpuMode mode, std::vector<std::string_view> supported,
           VgpuNaming naming = VgpuNaming::resource_class) {
    const ManagedHost* h = state.managed_host(hostname);
    REQUIRE(h);
    ManagedGpu g;
    g.provider_uuid = fixture_uuid(static_cast<int>(id));
    g.pci_address = pci;
    g.gpu.board = *config.catalog.find_board(board);
    g.gpu.mode = mode;
    g.naming = naming;
    Provider p;
    p.id = id;
    p.uuid = g.provider_uuid;
    p.name = hostname + "_pci_" + std::to_string(id);
    p.parent = h->root;
    std::int64_t largest = 0;
    for (auto name : supported) {
      const auto prof = profile(name);
      g.gpu.supported.push_back(prof);
      const auto& pr = config.catalog.profile(prof);
      const std::int64_t max = mode == vg::GpuMode::mig          ? pr.max_mig
                               : mode == vg::GpuMode::mixed_size ? pr.max_mixed_size
                                                                 : pr.max_equal_size;
      largest = std::max(largest, max);
      if (naming == VgpuNaming::resource_class)
        p.inventories[class_of(name)] = Inventory{max, 0, 1, max, 1, 1.0};
    }
    if (naming == VgpuNaming::trait) p.inventories[5] = Inventory{largest, 0, 1, largest, 1, 1.0};
    ManagedHost next = *h;
    std::vector<ManagedGpu> gpus;
    for (const Uuid& u : next.gpus) gpus.push_back(*state.managed_gpu(state.provider(u)->id));
    gpus.push_back(g);
    next.gpus.push_back(g.provider_uuid);
    ChangeSet cs;
    cs.add(CreateProvider{p});
    cs.add(PutManagedHost{next, gpus});
    state = state.with_changes(cs);
  }

  void set_host_state(const std::string& hostname, vg::HostPowerState power) {
    ManagedHost h = *state.managed_host(hostname);
    h.state = power;
    std::vector<ManagedGpu> gpus;
    for (const Uuid& u : h.gpus) gpus.push_back(*state.managed_gpu(state.provider(u)->id));
    ChangeSet cs;
    cs.add(PutManagedHost{h, gpus});
    state = state.with_changes(cs);
  }

  void pools(vg::Edition e, std::optional<std::int64_t> total, std::int64_t reserve = 0) {
    LicencePools p = state.licence_pools();
    p[e].total = total;
    p[e].reserve = reserve;
    ChangeSet cs;
    cs.add(SetLicencePools{p});
    state = state.with_changes(cs);
  }

  // Runs a claim as the API does; commits it when the rules accept it.
  vg::ClaimOutcome claim(const std::vector<allocation::ConsumerClaim>& claims,
                         bool use_reserve = false) {
    vg::ClaimOutcome out = vg::check_vgpu_claims(state, config, claims, use_reserve);
    if (!out.ok()) return out;
    ChangeSet cs = allocation::claim_changes(state, claims, ++now);
    vg::fill_vgpu_changes(out, cs);
    for (Change& c : cs.changes)
      if (auto* put = std::get_if<PutConsumer>(&c); put && put->consumer.id == 0)
        put->consumer.id = next_consumer++;
    state = state.with_changes(cs);
    return out;
  }
  vg::ClaimOutcome claim(int consumer, std::vector<Allocation> allocations,
                         bool use_reserve = false) {
    return claim({{fixture_uuid(1000 + consumer), std::move(allocations), "p", "u", ""}},
                 use_reserve);
  }
  // `count` vGPUs of a profile on a resource_class-named GPU.
  Allocation vgpus(ProviderId gpu, std::string_view profile_name, std::int64_t count) {
    return {gpu, class_of(profile_name), count};
  }
  const Consumer* consumer(int n) const { return state.consumer(fixture_uuid(1000 + n)); }
  std::vector<int> starts(int n) const {
    std::vector<int> out;
    if (const Consumer* c = consumer(n))
      for (const VgpuAssignment& v : c->vgpus) out.push_back(v.start);
    return out;
  }
  std::int64_t used(vg::Edition e) const { return state.licence_pools()[e].used; }
};

}  // namespace vgpu::scheduler::test
