#include "scheduler/vgpu/host_tree.hpp"
#include "scheduler/vgpu/text.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>

#include "scheduler/model/provisional_id.hpp"
#include "scheduler/vgpu/name_resolver.hpp"
#include "scheduler/vgpu/profile_name.hpp"

namespace vgpu::scheduler::vgpu {
namespace {

std::string quoted(const std::string& s) { return "\"" + s + "\""; }


int max_in(const Profile& p, GpuMode mode) {
  switch (mode) {
    case GpuMode::equal_size: return p.is_mig() ? 0 : p.max_equal_size;
    case GpuMode::mixed_size: return p.is_mig() ? 0 : p.max_mixed_size;
    case GpuMode::mig: return p.is_mig() ? p.max_mig : 0;
  }
  return 0;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::optional<ProfileIndex> find_profile(const Catalog& catalog, const std::string& name) {
  const auto parsed = parse_profile_name(name);
  if (!parsed) return std::nullopt;
  return catalog.find_profile(to_string(*parsed));
}

// A report GPU, checked and resolved against the catalog.
struct Gpu {
  const ReportedGpu* reported = nullptr;
  std::string pci;  // lower case
  BoardIndex board = 0;
  std::vector<ProfileIndex> supported;  // explicit, catalog order of the report
};

struct Desired {
  FlatMap<ClassId, Inventory> inventories;
  std::vector<TraitId> traits;
};

Inventory nova_inventory(std::int64_t total) {
  // As Nova's libvirt driver sets a pGPU inventory (domain/nova.md §2).
  return Inventory{total, 0, 1, total, 1, 1.0};
}

}  // namespace

std::string gpu_provider_name(const std::string& hostname, const std::string& pci_address) {
  std::string out = hostname + "_pci_";
  for (const char c : lower(pci_address)) out.push_back(c == ':' || c == '.' ? '_' : c);
  return out;
}

bool valid_pci_address(const std::string& text) {
  // dddd:bb:dd.f
  if (text.size() != 12 || text[4] != ':' || text[7] != ':' || text[10] != '.') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == 4 || i == 7 || i == 10) continue;
    if (!std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return text[11] >= '0' && text[11] <= '7';
}

HostTreePlan plan_host_tree(const State& state, const VgpuConfig& config,
                            const HostReport& report, std::int64_t now,
                            const std::function<Uuid()>& new_uuid) {
  const Catalog& catalog = config.catalog;
  HostTreePlan plan;
  auto fail = [&](std::string message) {
    plan.error = std::move(message);
    plan.changes = {};
    return plan;
  };
  // Refused because of what the state holds, not because the report is malformed.
  auto conflict = [&](std::string message) {
    plan.error_is_conflict = true;
    return fail(std::move(message));
  };
  if (report.hostname.empty()) return fail("hostname: must not be empty");

  // 1. The report against the catalog.
  std::vector<Gpu> gpus;
  std::map<std::string, std::size_t> by_pci;
  for (std::size_t i = 0; i < report.gpus.size(); ++i) {
    const ReportedGpu& r = report.gpus[i];
    const std::string at = "gpus[" + std::to_string(i) + "]";
    Gpu g;
    g.reported = &r;
    if (!valid_pci_address(r.pci_address))
      return fail(at + ".pci_address: " + quoted(r.pci_address) +
                  " is not a PCI address (dddd:bb:dd.f)");
    g.pci = lower(r.pci_address);
    if (auto [it, fresh] = by_pci.emplace(g.pci, i); !fresh)
      return fail(at + ".pci_address: " + g.pci + " is reported twice (gpus[" +
                  std::to_string(it->second) + "] and " + at + ")");
    const auto board = catalog.find_board(r.board);
    if (!board) return fail(at + ".board: unknown board " + quoted(r.board));
    g.board = *board;
    const Board& b = catalog.board(*board);
    if (r.mode == GpuMode::mixed_size && !b.mixed_size_capable)
      return fail(at + ".mode: board " + b.name + " has no mixed-size mode");
    if (r.mode == GpuMode::mig && !b.mig_capable)
      return fail(at + ".mode: board " + b.name + " has no MIG mode");
    for (std::size_t k = 0; k < r.supported_profiles.size(); ++k) {
      const std::string field = at + ".supported_profiles[" + std::to_string(k) + "]";
      const std::string& name = r.supported_profiles[k];
      const auto p = find_profile(catalog, name);
      if (!p) return fail(field + ": unknown profile " + quoted(name));
      const Profile& prof = catalog.profile(*p);
      if (prof.board != *board)
        return fail(field + ": " + prof.name + " is a profile of board " +
                    catalog.board(prof.board).name + ", not " + b.name);
      if (max_in(prof, r.mode) == 0)
        return fail(field + ": " + prof.name + " is not offered in " +
                    std::string(mode_phrase(r.mode)));
      if (std::find(g.supported.begin(), g.supported.end(), *p) == g.supported.end())
        g.supported.push_back(*p);
    }
    if (r.supported_profiles.empty()) {
      for (ProfileIndex p : catalog.profiles_of(*board))
        if (max_in(catalog.profile(p), r.mode) > 0) g.supported.push_back(p);
      if (g.supported.empty())
        return fail(at + ".mode: board " + b.name + " offers no profile in " +
                    std::string(mode_phrase(r.mode)));
    }
    gpus.push_back(std::move(g));
  }
  {
    HostPowerFigures figures{report.idle_watts, report.standby_watts, {}};
    std::vector<GpuPower> defaults;
    for (const Gpu& g : gpus) {
      figures.gpus.push_back(g.reported->power);
      defaults.push_back(default_gpu_power(catalog.board(g.board)));
    }
    if (auto bad = validate(resolve(figures, defaults))) return fail("power: " + *bad);
  }
  for (std::size_t k = 0; k < report.vgpus.size(); ++k) {
    const ReportedVgpu& v = report.vgpus[k];
    const std::string at = "vgpus[" + std::to_string(k) + "]";
    if (!by_pci.count(lower(v.gpu))) return fail(at + ".gpu: no reported GPU " + quoted(v.gpu));
    if (!find_profile(catalog, v.profile))
      return fail(at + ".profile: unknown profile " + quoted(v.profile));
    plan.live_vgpus.push_back(v);
  }

  // 2. The root: the host's, else a provider of the hostname (Nova's compute node), else new.
  const ManagedHost* known = state.managed_host(report.hostname);
  const Provider* root = known ? state.provider(known->root_uuid) : nullptr;
  if (!root) root = state.provider_named(report.hostname);
  if (root && root->parent != kNoProvider)
    return conflict("hostname: provider " + quoted(report.hostname) +
                " exists but is not a root provider");
  if (root && report.root_uuid && *report.root_uuid != root->uuid)
    return conflict("root_uuid: the host's root provider " + quoted(report.hostname) + " is " +
                    root->uuid.str() + ", not " + report.root_uuid->str());
  if (!root && report.root_uuid) {
    if (const Provider* taken = state.provider(*report.root_uuid))
      return conflict("root_uuid: " + report.root_uuid->str() + " is provider " +
                      quoted(taken->name) + ", not " + quoted(report.hostname));
  }

  // 3. Names the tree needs that the registries do not have yet, and a new root: created first
  //    in the same ChangeSet; later changes refer to them by provisional id (provisional_id.hpp).
  const NameResolver names(config, state.classes(), state.traits());
  std::map<std::string, ClassId> class_ids;
  std::map<std::string, TraitId> trait_ids;
  for (const Gpu& g : gpus) {
    if (g.reported->naming == VgpuNaming::trait) {
      if (!names.vgpu_class()) return fail("resource class VGPU is unknown to this service");
      for (ProfileIndex p : g.supported) {
        const std::string name = trait_for(config, p);
        if (trait_ids.count(name)) continue;
        if (auto id = state.traits().id_of(name)) {
          trait_ids[name] = *id;
        } else {
          trait_ids[name] = static_cast<TraitId>(provisional_id(plan.changes.changes.size()));
          plan.changes.add(AddTrait{name, 0});
        }
      }
    } else {
      for (ProfileIndex p : g.supported) {
        const std::string name = resource_class_for(config, p);
        if (class_ids.count(name)) continue;
        if (auto id = state.classes().id_of(name)) {
          class_ids[name] = *id;
        } else {
          class_ids[name] = static_cast<ClassId>(provisional_id(plan.changes.changes.size()));
          plan.changes.add(AddResourceClass{name, 0});
        }
      }
    }
  }
  ProviderId root_id = root ? root->id : kNoProvider;
  Uuid root_uuid = root ? root->uuid : Uuid{};
  if (!root) {
    Provider p;
    p.uuid = report.root_uuid ? *report.root_uuid : new_uuid();
    p.name = report.hostname;
    root_id = provisional_id(plan.changes.changes.size());
    root_uuid = p.uuid;
    plan.changes.add(CreateProvider{std::move(p)});
  }

  // 4. One child per GPU, adopted by name or created.
  ManagedHost host;
  host.hostname = report.hostname;
  host.root = root ? root->id : kNoProvider;  // a new root: the store finds it by uuid
  host.root_uuid = root_uuid;
  host.state = known ? known->state : HostPowerState::active;
  host.idle_watts = report.idle_watts;
  host.standby_watts = report.standby_watts;
  host.updated_at = now;
  std::vector<ManagedGpu> managed;
  ChangeSet providers;
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    const Gpu& g = gpus[i];
    const std::string at = "gpus[" + std::to_string(i) + "]";
    const std::string name = gpu_provider_name(report.hostname, g.pci);
    const Provider* existing = state.provider_named(name);
    if (existing && existing->parent != root_id)
      return conflict(at + ".pci_address: provider " + quoted(name) +
                  " exists but not under the host's root provider");
    const ManagedGpu* before = existing ? state.managed_gpu(existing->id) : nullptr;
    const GpuMode mode = g.reported->mode;
    if (before && !before->gpu.placed.empty() &&
        (before->gpu.mode != mode || before->gpu.board != g.board))
      return conflict(at + ".mode: GPU " + g.pci + " holds " +
                  std::to_string(before->gpu.placed.size()) +
                  " vGPUs; its board and mode cannot change until they are gone");

    Desired want;
    if (existing) {
      for (const auto& [cls, inv] : existing->inventories)
        if (!names.is_vgpu_related(cls)) want.inventories[cls] = inv;
      for (TraitId t : existing->traits)
        if (!names.profile_of_trait(t)) want.traits.push_back(t);
    }
    if (g.reported->naming == VgpuNaming::trait) {
      std::int64_t largest = 0;
      for (ProfileIndex p : g.supported) {
        largest = std::max<std::int64_t>(largest, max_in(catalog.profile(p), mode));
        want.traits.push_back(trait_ids.at(trait_for(config, p)));
      }
      want.inventories[*names.vgpu_class()] = nova_inventory(largest);
    } else {
      for (ProfileIndex p : g.supported)
        want.inventories[class_ids.at(resource_class_for(config, p))] =
            nova_inventory(max_in(catalog.profile(p), mode));
    }
    std::sort(want.traits.begin(), want.traits.end());
    want.traits.erase(std::unique(want.traits.begin(), want.traits.end()), want.traits.end());
    if (existing) {
      for (const auto& [cls, used] : existing->usage) {
        const Inventory* inv = want.inventories.find(cls);
        if (inv && inv->capacity() >= used) continue;
        const std::string* cname = state.classes().name_of(cls);
        return conflict(at + ": GPU " + g.pci + " has " + std::to_string(used) + " " +
                    (cname ? *cname : std::to_string(cls)) + " allocated; the report leaves " +
                    std::to_string(inv ? inv->capacity() : 0));
      }
    }

    ManagedGpu m;
    m.hostname = report.hostname;
    m.pci_address = g.pci;
    m.gpu.board = g.board;
    m.gpu.mode = mode;
    m.gpu.supported = g.supported;
    m.power = g.reported->power;
    m.naming = g.reported->naming;
    if (!existing) {
      Provider p;
      p.uuid = new_uuid();
      p.name = name;
      p.parent = root_id;
      p.inventories = std::move(want.inventories);
      p.traits = std::move(want.traits);
      m.provider_uuid = p.uuid;
      providers.add(CreateProvider{std::move(p)});
    } else {
      m.provider = existing->id;
      m.provider_uuid = existing->uuid;
      unsigned parts = 0;
      if (!(existing->inventories == want.inventories)) parts |= kProviderInventories;
      if (existing->traits != want.traits) parts |= kProviderTraits;
      if (parts) {
        Provider p = *existing;
        p.inventories = std::move(want.inventories);
        p.traits = std::move(want.traits);
        p.generation = existing->generation + 1;
        providers.add(UpdateProvider{std::move(p), existing->generation, parts});
      }
    }
    host.gpus.push_back(m.provider_uuid);
    managed.push_back(std::move(m));
  }

  // 5. GPUs of the earlier report that are gone: their providers go too, unless in use.
  if (known) {
    for (const Uuid& u : known->gpus) {
      if (std::find(host.gpus.begin(), host.gpus.end(), u) != host.gpus.end()) continue;
      const Provider* p = state.provider(u);
      if (!p) continue;
      const ManagedGpu* g = state.managed_gpu(p->id);
      const std::string pci = g ? g->pci_address : p->name;
      if (!p->usage.empty() || (g && !g->gpu.placed.empty()))
        return conflict("gpus: GPU " + pci + " (provider " + quoted(p->name) +
                    ") is no longer reported but has allocations; move or delete them first");
      if (!p->children.empty()) continue;  // not a leaf: leave the provider, stop managing it
      plan.changes.add(DeleteProvider{p->id, p->generation});
    }
  }
  for (Change& c : providers.changes) plan.changes.changes.push_back(std::move(c));
  plan.changes.add(PutManagedHost{std::move(host), std::move(managed)});
  return plan;
}

std::string_view to_string(LiveVgpuDiff::Kind kind) {
  switch (kind) {
    case LiveVgpuDiff::Kind::missing: return "missing";
    case LiveVgpuDiff::Kind::extra: return "extra";
    case LiveVgpuDiff::Kind::mismatched: return "mismatched";
  }
  return "?";
}

std::vector<LiveVgpuDiff> compare_live_vgpus(const State& state, const VgpuConfig& config,
                                             const std::string& hostname,
                                             const std::vector<ReportedVgpu>& live) {
  const Catalog& catalog = config.catalog;
  struct Placed {
    std::string gpu;
    ProfileIndex profile;
    int start;
    std::optional<Uuid> consumer;
    bool matched = false;
  };
  std::vector<Placed> placed;
  if (const ManagedHost* host = state.managed_host(hostname)) {
    for (const Uuid& u : host->gpus) {
      const Provider* p = state.provider(u);
      const ManagedGpu* g = p ? state.managed_gpu(p->id) : nullptr;
      if (!g) continue;
      std::unordered_map<ConsumerId, Uuid> uuid_of;
      for (const Uuid& cu : p->consumers)
        if (const Consumer* c = state.consumer(cu)) uuid_of[c->id] = cu;
      for (std::size_t i = 0; i < g->gpu.placed.size(); ++i) {
        Placed e{g->pci_address, g->gpu.placed[i].profile, g->gpu.placed[i].start, std::nullopt};
        if (i < g->placed_by.size())
          if (auto it = uuid_of.find(g->placed_by[i]); it != uuid_of.end()) e.consumer = it->second;
        placed.push_back(std::move(e));
      }
    }
  }
  auto profile_name = [&](ProfileIndex p) {
    return p >= 0 && static_cast<std::size_t>(p) < catalog.profiles().size()
               ? catalog.profile(p).name
               : std::string("unknown profile #") + std::to_string(p);
  };
  auto describe = [&](const std::string& profile, std::optional<int> start,
                      const std::optional<Uuid>& consumer) {
    std::string s = profile;
    if (start) s += " at start " + std::to_string(*start);
    if (consumer) s += " of consumer " + consumer->str();
    return s;
  };

  std::vector<LiveVgpuDiff> out;
  std::vector<const ReportedVgpu*> unmatched;
  for (const ReportedVgpu& l : live) {
    const auto profile = find_profile(catalog, l.profile);
    const std::string gpu = lower(l.gpu);
    bool found = false;
    for (Placed& e : placed) {
      if (e.matched || e.gpu != gpu || !profile || e.profile != *profile) continue;
      if (l.start && *l.start != e.start) continue;
      if (l.consumer && e.consumer != l.consumer) continue;
      e.matched = found = true;
      break;
    }
    if (!found) unmatched.push_back(&l);
  }
  for (const ReportedVgpu* l : unmatched) {
    const std::string gpu = lower(l->gpu);
    Placed* other = nullptr;
    if (l->consumer) {
      for (Placed& e : placed)
        if (!e.matched && e.gpu == gpu && e.consumer == l->consumer) {
          other = &e;
          break;
        }
    }
    if (other) {
      other->matched = true;
      out.push_back({LiveVgpuDiff::Kind::mismatched, gpu,
                     "GPU " + gpu + ": the state has " +
                         describe(profile_name(other->profile), other->start, other->consumer) +
                         ", the host runs " + describe(l->profile, l->start, l->consumer)});
    } else {
      out.push_back({LiveVgpuDiff::Kind::extra, gpu,
                     "GPU " + gpu + ": the host runs " + describe(l->profile, l->start, l->consumer) +
                         ", which the state does not have"});
    }
  }
  for (const Placed& e : placed) {
    if (e.matched) continue;
    out.push_back({LiveVgpuDiff::Kind::missing, e.gpu,
                   "GPU " + e.gpu + ": the state has " +
                       describe(profile_name(e.profile), e.start, e.consumer) +
                       ", which the host does not run"});
  }
  return out;
}

}  // namespace vgpu::scheduler::vgpu
