#include "scheduler/vgpu/state_check.hpp"

#include <algorithm>
#include <map>

#include "scheduler/vgpu/licence_pool.hpp"
#include "scheduler/vgpu/name_resolver.hpp"
#include "scheduler/vgpu/placement_rules.hpp"

namespace vgpu::scheduler::vgpu {
namespace {

bool valid_profile(const Catalog& catalog, ProfileIndex p) {
  return p >= 0 && static_cast<std::size_t>(p) < catalog.profiles().size();
}

std::string gpu_where(const ManagedGpu& gpu) {
  return "GPU " + gpu.pci_address + " of host " + gpu.hostname + " (resource provider " +
         gpu.provider_uuid.str() + ")";
}

std::string profile_text(const Catalog& catalog, ProfileIndex p) {
  return valid_profile(catalog, p) ? catalog.profile(p).name
                                   : "an unknown profile (#" + std::to_string(p) + ")";
}

void check_gpu(const State& state, const Catalog& catalog, const ManagedGpu& gpu,
               std::vector<Finding>& out) {
  const std::string where = gpu_where(gpu);
  GpuState known = gpu.gpu;
  if (gpu.gpu.board < 0 || static_cast<std::size_t>(gpu.gpu.board) >= catalog.boards().size()) {
    out.push_back({Severity::error, "unknown_profile", where,
                   "its board is not in the running catalog; no rule can be checked"});
    return;
  }
  std::erase_if(known.supported, [&](ProfileIndex p) { return !valid_profile(catalog, p); });
  if (known.supported.size() != gpu.gpu.supported.size())
    out.push_back({Severity::error, "unknown_profile", where,
                   std::to_string(gpu.gpu.supported.size() - known.supported.size()) +
                       " of its supported profiles are not in the running catalog"});
  known.placed.clear();
  for (std::size_t i = 0; i < gpu.gpu.placed.size(); ++i) {
    const PlacedVgpu& v = gpu.gpu.placed[i];
    if (valid_profile(catalog, v.profile)) {
      known.placed.push_back(v);
      continue;
    }
    std::string consumer = "a consumer";
    if (i < gpu.placed_by.size()) consumer = "consumer #" + std::to_string(gpu.placed_by[i]);
    out.push_back({Severity::error, "unknown_profile", where,
                   "a vGPU of " + consumer + " at start " + std::to_string(v.start) +
                       " has a profile the running catalog does not have"});
  }
  // An empty supported list means every profile of the board: keep the meaning when only
  // unknown ones were listed.
  if (known.supported.empty() && !gpu.gpu.supported.empty()) known.supported = {-1};
  for (std::string& v : violations(catalog, known))
    out.push_back({Severity::error, "gpu_rules", where, std::move(v)});

  const Provider* p = state.provider(gpu.provider);
  const ManagedHost* host = state.managed_host(gpu.hostname);
  if (p && host && host->root != kNoProvider && p->root != host->root)
    out.push_back({Severity::warning, "tree", where,
                   "its provider is not in the tree of the host's root provider"});
}

}  // namespace

std::string_view to_string(Severity s) { return s == Severity::error ? "error" : "warning"; }

std::string to_string(const Finding& f) {
  return std::string(to_string(f.severity)) + " " + f.rule + " " + f.where + ": " + f.message;
}

std::vector<Finding> check_state(const State& state, const VgpuConfig& config) {
  const Catalog& catalog = config.catalog;
  std::vector<Finding> out;

  // Hosts and their GPUs.
  for (const ManagedHost* host : state.managed_hosts()) {
    const std::string where = "host " + host->hostname;
    if (host->root == kNoProvider || !state.provider(host->root))
      out.push_back({Severity::error, "provider_gone", where,
                     "its root provider " + host->root_uuid.str() + " does not exist"});
    for (const Uuid& u : host->gpus) {
      const Provider* p = state.provider(u);
      const ManagedGpu* gpu = p ? state.managed_gpu(p->id) : nullptr;
      if (!p || !gpu) {
        out.push_back({Severity::error, "provider_gone", where,
                       "its GPU provider " + u.str() + " does not exist"});
        continue;
      }
      check_gpu(state, catalog, *gpu, out);
    }
  }

  // Consumers: allocations on managed GPUs against assignments, and seats.
  const NameResolver names(config, state.classes(), state.traits());
  std::vector<const Consumer*> consumers;
  state.for_each_consumer([&](const Consumer& c) { consumers.push_back(&c); });
  std::sort(consumers.begin(), consumers.end(),
            [](auto* a, auto* b) { return a->uuid < b->uuid; });
  for (const Consumer* c : consumers) {
    const std::string where = "consumer " + c->uuid.str();
    // Per managed GPU: vGPU units allocated (per profile class, or VGPU) and assigned.
    struct Count {
      std::map<ProfileIndex, std::int64_t> allocated;  // by class profile
      std::int64_t allocated_any = 0;                  // VGPU class
      std::map<ProfileIndex, std::int64_t> assigned;
      std::int64_t assigned_total = 0;
    };
    std::map<ProviderId, Count> per_gpu;
    for (const Allocation& a : c->allocations) {
      if (!state.managed_gpu(a.provider)) continue;
      if (auto p = names.profile_of_class(a.resource_class)) per_gpu[a.provider].allocated[*p] += a.used;
      else if (names.is_vgpu_class(a.resource_class)) per_gpu[a.provider].allocated_any += a.used;
    }
    for (const VgpuAssignment& v : c->vgpus) {
      if (!state.managed_gpu(v.gpu)) {
        const Provider* p = state.provider(v.gpu);
        out.push_back({Severity::error, "assignments", where,
                       "a vGPU (" + profile_text(catalog, v.profile) + ") is assigned to " +
                           (p ? "resource provider " + p->uuid.str() + ", not a managed GPU"
                              : "provider #" + std::to_string(v.gpu) + ", which does not exist")});
        continue;
      }
      Count& n = per_gpu[v.gpu];
      ++n.assigned[v.profile];
      ++n.assigned_total;
      if (!valid_profile(catalog, v.profile))
        out.push_back({Severity::error, "unknown_profile", where,
                       "a vGPU on " + gpu_where(*state.managed_gpu(v.gpu)) +
                           " has a profile the running catalog does not have"});
    }
    for (const auto& [gpu_id, n] : per_gpu) {
      const ManagedGpu& gpu = *state.managed_gpu(gpu_id);
      if (n.allocated_any > 0) {  // VGPU names no profile: only the totals can be compared
        std::int64_t allocated_total = n.allocated_any;
        for (const auto& [profile, units] : n.allocated) allocated_total += units;
        if (allocated_total != n.assigned_total)
          out.push_back({Severity::error, "assignments", where,
                         std::to_string(allocated_total) + " vGPUs allocated on " +
                             gpu_where(gpu) + " but " + std::to_string(n.assigned_total) +
                             " assigned"});
        continue;
      }
      std::map<ProfileIndex, std::pair<std::int64_t, std::int64_t>> both;  // allocated, assigned
      for (const auto& [profile, units] : n.allocated) both[profile].first = units;
      for (const auto& [profile, units] : n.assigned) both[profile].second = units;
      for (const auto& [profile, units] : both) {
        if (units.first == units.second) continue;
        out.push_back({Severity::error, "assignments", where,
                       std::to_string(units.first) + " " + profile_text(catalog, profile) +
                           " allocated on " + gpu_where(gpu) + " but " +
                           std::to_string(units.second) + " vGPUs of it assigned"});
      }
    }
    // Seats: what its vGPUs need against what it holds.
    std::array<std::int64_t, kEditionCount> vgpus{};
    for (const VgpuAssignment& v : c->vgpus)
      if (valid_profile(catalog, v.profile) && state.managed_gpu(v.gpu))
        ++vgpus[static_cast<std::size_t>(catalog.profile(v.profile).edition)];
    std::array<std::int64_t, kEditionCount> held{};
    for (const SeatHold& s : c->seats)
      if (s.edition < kEditionCount) held[s.edition] += s.seats;
    const bool any_vgpu = std::any_of(vgpus.begin(), vgpus.end(), [](auto n) { return n > 0; });
    const bool any_seat = std::any_of(held.begin(), held.end(), [](auto n) { return n > 0; });
    if (any_seat && !any_vgpu)
      out.push_back({Severity::warning, "licence", where, "holds licence seats but no vGPU"});
    for (std::size_t e = 0; e < kEditionCount; ++e) {
      if (vgpus[e] == 0 || held[e] > 0) continue;
      const bool borrowed = static_cast<Edition>(e) == Edition::vpc &&
                            config.licences.b_series_borrows_vws &&
                            held[static_cast<std::size_t>(Edition::rtx_vws)] > 0;
      if (borrowed) continue;
      out.push_back({Severity::warning, "licence", where,
                     "has " + std::to_string(vgpus[e]) + " vGPUs of edition " +
                         std::string(to_string(static_cast<Edition>(e))) +
                         " but holds no seat of it"});
    }
  }

  // Pools.
  const LicencePools& pools = state.licence_pools();
  for (std::size_t e = 0; e < kEditionCount; ++e) {
    const LicencePool& pool = pools.pools[e];
    if (!pool.total) continue;
    const std::string where = "licence pool " + std::string(to_string(static_cast<Edition>(e)));
    const std::string numbers = std::to_string(pool.used) + " of " + std::to_string(*pool.total) +
                                " seats in use (reserve " + std::to_string(pool.reserve) + ")";
    if (pool.used > *pool.total)
      out.push_back({Severity::error, "licence", where, numbers + ": over its total"});
    else if (pool.used > *pool.total - pool.reserve)
      out.push_back({Severity::warning, "licence", where,
                     numbers + ": the reserve is in use (only administrators' claims may)"});
  }
  return out;
}

}  // namespace vgpu::scheduler::vgpu
