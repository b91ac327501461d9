#pragma once
// A fluent builder of small vGPU clusters for the search tests: hosts as Nova's libvirt driver
// makes them (a root named by hostname, one child per pGPU named <host>_pci_0000_<bus>_00_0),
// reported to the vGPU layer (PutManagedHost), vGPUs placed by consumers (PutConsumer with
// VgpuAssignments at the starts placement_rules chooses, and their licence seats), licence pools
// (SetLicencePools): one ChangeSet applied with State::with_changes, as the store would after a
// commit.
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "scheduler/model/state.hpp"
#include "scheduler/search/explain.hpp"
#include "scheduler/search/registry.hpp"
#include "scheduler/search/search.hpp"
#include "scheduler/vgpu/data/default_catalog.hpp"
#include "scheduler/vgpu/placement_rules.hpp"
#include "scheduler/vgpu/profile_name.hpp"
#include "scheduler/vgpu/vgpu_config.hpp"

namespace vgpu::scheduler::test {

namespace vg = ::vgpu::scheduler::vgpu;
namespace sr = ::vgpu::scheduler::search;

inline constexpr ClassId kVcpuRc = 0;
inline constexpr ClassId kVgpuRc = 9;

inline Uuid vgpu_test_uuid(int n) {
  Uuid u;
  u.bytes[13] = 0x77;
  u.bytes[14] = static_cast<std::uint8_t>(n >> 8);
  u.bytes[15] = static_cast<std::uint8_t>(n);
  u.bytes[6] = 0x40;
  return u;
}

// The shipped catalog, default weights (packing, fragmentation, energy 1; spread 0), seats per VM.
inline vg::VgpuConfig vgpu_test_config() {
  vg::VgpuConfig c;
  c.catalog = *vg::default_catalog();
  return c;
}

class VgpuCluster {
 public:
  explicit VgpuCluster(vg::VgpuConfig config = vgpu_test_config()) : config_(std::move(config)) {
    cs_.add(AddResourceClass{"VCPU", kVcpuRc});
    cs_.add(AddResourceClass{"VGPU", kVgpuRc});
    classes_["VCPU"] = kVcpuRc;
    classes_["VGPU"] = kVgpuRc;
  }

  // Providers created from now on get ids from `next` (room for others made by hand).
  VgpuCluster& first_id(ProviderId next) {
    next_provider_ = next;
    return *this;
  }

  // A compute host: a root provider with 64 VCPU.
  VgpuCluster& host(const std::string& name,
                    vg::HostPowerState state = vg::HostPowerState::active) {
    Host h;
    h.info.hostname = name;
    h.info.state = state;
    h.info.idle_watts = 100;
    h.info.standby_watts = 10;
    h.root.id = next_provider_++;
    h.root.uuid = vgpu_test_uuid(static_cast<int>(h.root.id));
    h.root.name = name;
    h.root.inventories[kVcpuRc] = Inventory{64, 0, 1, 64, 1, 1.0};
    h.info.root_uuid = h.root.uuid;
    hosts_.push_back(std::move(h));
    return *this;
  }

  // The last host's VCPU inventory (64 unless set).
  VgpuCluster& vcpus(std::int64_t total) {
    hosts_.back().root.inventories[kVcpuRc] = Inventory{total, 0, 1, total, 1, 1.0};
    return *this;
  }

  // A pGPU of the last host. `supported` names profiles of `board`; an empty list: every
  // profile of the board offered in the mode.
  VgpuCluster& gpu(const std::string& board, vg::GpuMode mode,
                   const std::vector<std::string>& supported,
                   VgpuNaming naming = VgpuNaming::resource_class) {
    Host& h = hosts_.back();
    Gpu g;
    g.provider.id = next_provider_++;
    g.provider.uuid = vgpu_test_uuid(static_cast<int>(g.provider.id));
    g.provider.parent = h.root.id;
    const int bus = 0x80 + static_cast<int>(h.gpus.size());
    char pci[32];
    std::snprintf(pci, sizeof pci, "0000:%02x:00.0", bus);
    char dev[32];
    std::snprintf(dev, sizeof dev, "pci_0000_%02x_00_0", bus);
    g.provider.name = h.info.hostname + "_" + dev;
    g.info.provider_uuid = g.provider.uuid;
    g.info.hostname = h.info.hostname;
    g.info.pci_address = pci;
    g.info.naming = naming;
    g.info.gpu.board = *config_.catalog.find_board(board);
    g.info.gpu.mode = mode;
    for (const std::string& s : supported) g.info.gpu.supported.push_back(profile(s));
    std::vector<vg::ProfileIndex> offered = g.info.gpu.supported;
    if (offered.empty()) offered = config_.catalog.profiles_of(g.info.gpu.board);
    std::int64_t largest = 0;
    for (vg::ProfileIndex p : offered) {
      const std::int64_t max = max_in(config_.catalog.profile(p), mode);
      if (max <= 0) continue;
      largest = std::max(largest, max);
      if (naming == VgpuNaming::resource_class)
        g.provider.inventories[profile_class(config_.catalog.profile(p).name)] =
            Inventory{max, 0, 1, max, 1, 1.0};
      else
        g.provider.traits.push_back(profile_trait(config_.catalog.profile(p).name));
    }
    if (naming == VgpuNaming::trait) {
      g.provider.inventories[kVgpuRc] = Inventory{largest, 0, 1, largest, 1, 1.0};
      std::sort(g.provider.traits.begin(), g.provider.traits.end());
    }
    h.gpus.push_back(std::move(g));
    return *this;
  }

  // `count` vGPUs of `name` on the last GPU, held by one new consumer (one seat of the
  // profile's edition, per VM), at the starts the placement rules choose.
  VgpuCluster& with(const std::string& name, int count = 1) {
    Gpu& g = hosts_.back().gpus.back();
    const vg::ProfileIndex p = profile(name);
    const vg::Fit fit = vg::fit(config_.catalog, g.info.gpu, p, count);
    if (!fit.ok) throw std::logic_error("fixture: " + name + " does not fit: " + fit.detail);
    vg::apply(g.info.gpu, p, fit);
    Consumer c;
    c.id = next_consumer_++;
    c.uuid = vgpu_test_uuid(5000 + static_cast<int>(c.id));
    c.generation = 1;
    const ClassId rc = g.info.naming == VgpuNaming::resource_class ? profile_class(name) : kVgpuRc;
    c.allocations.push_back({g.provider.id, rc, count});
    for (int s : fit.starts) c.vgpus.push_back({g.provider.id, p, s});
    c.seats.push_back({static_cast<std::uint8_t>(config_.catalog.profile(p).edition), 1});
    consumers_.push_back(std::move(c));
    return *this;
  }

  VgpuCluster& pool(vg::Edition edition, std::optional<std::int64_t> total,
                    std::int64_t reserve = 0) {
    pools_[edition].total = total;
    pools_[edition].reserve = reserve;
    return *this;
  }

  State build() {
    ChangeSet cs = cs_;
    for (const auto& [name, id] : traits_) cs.add(AddTrait{name, id});
    for (const auto& [name, id] : classes_)
      if (id >= kFirstCustomClassId) cs.add(AddResourceClass{name, id});
    for (const Host& h : hosts_) {
      cs.add(CreateProvider{h.root});
      for (const Gpu& g : h.gpus) cs.add(CreateProvider{g.provider});
    }
    for (const Host& h : hosts_) {
      PutManagedHost put;
      put.host = h.info;
      for (const Gpu& g : h.gpus) {
        put.host.gpus.push_back(g.provider.uuid);
        ManagedGpu info = g.info;
        info.gpu.placed.clear();  // derived from the consumers
        put.gpus.push_back(std::move(info));
      }
      cs.add(std::move(put));
    }
    for (const Consumer& c : consumers_) cs.add(PutConsumer{c, std::nullopt, {}});
    cs.add(SetLicencePools{pools_});
    return State().with_changes(cs);
  }

  const vg::VgpuConfig& config() const { return config_; }
  vg::VgpuConfig& config() { return config_; }
  vg::ProfileIndex profile(const std::string& name) const {
    auto p = config_.catalog.find_profile(name);
    if (!p) throw std::logic_error("fixture: no profile " + name);
    return *p;
  }
  // CUSTOM_VGPU_<P>, registered on first use.
  ClassId profile_class(const std::string& name) {
    const std::string rc = vg::nova_resource_class(*vg::parse_profile_name(name));
    auto it = classes_.find(rc);
    if (it != classes_.end()) return it->second;
    const ClassId id = kFirstCustomClassId + static_cast<ClassId>(classes_.size());
    classes_[rc] = id;
    return id;
  }
  // CUSTOM_NVIDIA_<P>, registered on first use.
  TraitId profile_trait(const std::string& name) {
    const std::string t = vg::nova_trait(*vg::parse_profile_name(name));
    auto it = traits_.find(t);
    if (it != traits_.end()) return it->second;
    const TraitId id = 1000 + static_cast<TraitId>(traits_.size());
    traits_[t] = id;
    return id;
  }
  ProviderId host_id(const std::string& name) const {
    for (const Host& h : hosts_)
      if (h.info.hostname == name) return h.root.id;
    throw std::logic_error("fixture: no host " + name);
  }
  ProviderId gpu_id(const std::string& host, std::size_t index = 0) const {
    for (const Host& h : hosts_)
      if (h.info.hostname == host) return h.gpus.at(index).provider.id;
    throw std::logic_error("fixture: no host " + host);
  }

 private:
  static std::int64_t max_in(const vg::Profile& p, vg::GpuMode mode) {
    switch (mode) {
      case vg::GpuMode::equal_size: return p.is_mig() ? 0 : p.max_equal_size;
      case vg::GpuMode::mixed_size: return p.is_mig() ? 0 : p.max_mixed_size;
      case vg::GpuMode::mig: return p.is_mig() ? p.max_mig : 0;
    }
    return 0;
  }

  struct Gpu {
    Provider provider;
    ManagedGpu info;
  };
  struct Host {
    Provider root;
    ManagedHost info;
    std::vector<Gpu> gpus;
  };

  vg::VgpuConfig config_;
  ChangeSet cs_;
  std::map<std::string, ClassId> classes_;
  std::map<std::string, TraitId> traits_;
  std::vector<Host> hosts_;
  std::vector<Consumer> consumers_;
  vg::LicencePools pools_;
  ProviderId next_provider_ = 1;
  ConsumerId next_consumer_ = 1;
};

// A request as Nova Zed sends it for a flavor with a vGPU: one unnumbered group,
// resources=VCPU:1,<class>:<count> (one slot per class).
inline sr::SearchRequest vgpu_request(ClassId vgpu_class, int count = 1) {
  sr::SearchRequest r;
  sr::GroupRequest g;
  g.resources = {{kVcpuRc, 1}, {vgpu_class, count}};
  std::sort(g.resources.begin(), g.resources.end(),
            [](const auto& a, const auto& b) { return a.resource_class < b.resource_class; });
  r.groups = {g};
  return r;
}

// A numbered group (one provider serves it all).
inline sr::GroupRequest numbered(std::string suffix, std::vector<sr::ResourceAmount> res) {
  sr::GroupRequest g;
  g.suffix = std::move(suffix);
  g.same_provider = true;
  g.resources = std::move(res);
  return g;
}

// Runs the vGPU profile (the plain one when `config` is null).
inline std::vector<sr::Candidate> vgpu_search(const State& s, const sr::SearchRequest& r,
                                              const vg::VgpuConfig* config,
                                              sr::Explain* explain = nullptr) {
  const sr::Profile profile = sr::build_default_profile(config);
  return sr::CandidateSearch(profile).run(s, r, explain);
}

// The hosts (root names) of the candidates, in order.
inline std::vector<std::string> hosts_of(const State& s, const std::vector<sr::Candidate>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) out.push_back(s.provider(c.anchor)->name);
  return out;
}

// The provider (by name) a candidate takes class `rc` from (the first such).
inline std::string provider_of(const State& s, const sr::Candidate& c, ClassId rc) {
  for (const auto& a : c.allocations)
    if (a.resource_class == rc) return s.provider(a.provider)->name;
  return {};
}

}  // namespace vgpu::scheduler::test
