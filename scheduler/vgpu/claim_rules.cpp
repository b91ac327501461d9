#include "scheduler/vgpu/claim_rules.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "scheduler/vgpu/licence_pool.hpp"
#include "scheduler/vgpu/name_resolver.hpp"
#include "scheduler/vgpu/placement_rules.hpp"

namespace vgpu::scheduler::vgpu {
namespace {

ClaimRefusal refusal(const ManagedGpu& gpu, std::string_view rule_name, const std::string& what) {
  std::string detail = "vGPU rule ";
  detail += rule_name;
  detail += " on resource provider " + gpu.provider_uuid.str() + " (GPU " + gpu.pci_address +
            " of host " + gpu.hostname + "): " + what;
  return {std::string(rule_name), gpu.provider_uuid, std::move(detail)};
}

// One (provider, class) per entry, as claim_changes() normalises them.
std::map<std::pair<ProviderId, ClassId>, std::int64_t> summed(
    const std::vector<Allocation>& allocations) {
  std::map<std::pair<ProviderId, ClassId>, std::int64_t> out;
  for (const Allocation& a : allocations) out[{a.provider, a.resource_class}] += a.used;
  return out;
}

// The profile a VGPU allocation means on `gpu` for consumer `old` (see the header).
std::optional<ProfileIndex> vgpu_class_profile(const Catalog& catalog, const ManagedGpu& gpu,
                                               const Consumer* old, std::string& why) {
  if (old) {
    std::optional<ProfileIndex> held;
    bool one = true;
    for (const VgpuAssignment& v : old->vgpus) {
      if (v.gpu != gpu.provider) continue;
      if (held && *held != v.profile) one = false;
      held = v.profile;
    }
    if (held && one) return held;
  }
  if (gpu.gpu.mode == GpuMode::equal_size && !gpu.gpu.placed.empty())
    return gpu.gpu.placed.front().profile;
  const std::vector<ProfileIndex> supported =
      gpu.gpu.supported.empty() ? catalog.profiles_of(gpu.gpu.board) : gpu.gpu.supported;
  if (supported.size() == 1) return supported.front();
  why = "a VGPU allocation does not say which profile; the GPU supports " +
        std::to_string(supported.size()) +
        " profiles and hosts none in equal-size mode: claim per-profile resource classes "
        "(CUSTOM_VGPU_<PROFILE>) instead";
  return std::nullopt;
}

struct Want {
  const ManagedGpu* gpu = nullptr;
  ProfileIndex profile = 0;
  std::int64_t count = 0;  // new vGPUs to place (beyond those kept)
};

struct Plan {
  const Consumer* old = nullptr;
  std::vector<VgpuAssignment> vgpus;  // kept, then placed
  std::vector<Want> wants;
};

// A working copy of a GPU's state with the claimed consumers' vGPUs taken off.
struct Work {
  const ManagedGpu* gpu = nullptr;
  GpuState state;
};

}  // namespace

bool touches_vgpu_layer(const State& state,
                        const std::vector<allocation::ConsumerClaim>& claims) {
  for (const allocation::ConsumerClaim& claim : claims) {
    if (const Consumer* old = state.consumer(claim.consumer)) {
      if (!old->vgpus.empty() || !old->seats.empty()) return true;
    }
    for (const Allocation& a : claim.allocations)
      if (state.managed_gpu(a.provider)) return true;
  }
  return false;
}

ClaimOutcome check_vgpu_claims(const State& state, const VgpuConfig& config,
                               const std::vector<allocation::ConsumerClaim>& claims,
                               bool use_reserve) {
  const Catalog& catalog = config.catalog;
  const NameResolver names(config, state.classes(), state.traits());
  ClaimOutcome out;

  std::set<ConsumerId> claimed;
  for (const auto& claim : claims)
    if (const Consumer* old = state.consumer(claim.consumer)) claimed.insert(old->id);

  std::map<ProviderId, Work> work;
  auto work_of = [&](const ManagedGpu& gpu) -> Work& {
    auto [it, fresh] = work.try_emplace(gpu.provider);
    if (fresh) {
      it->second.gpu = &gpu;
      it->second.state = gpu.gpu;
      it->second.state.placed.clear();
      for (std::size_t i = 0; i < gpu.gpu.placed.size(); ++i) {
        const bool claimed_here = i < gpu.placed_by.size() && claimed.count(gpu.placed_by[i]);
        if (!claimed_here) it->second.state.placed.push_back(gpu.gpu.placed[i]);
      }
    }
    return it->second;
  };

  // 1. What each consumer asks for, and which of its vGPUs stay where they are.
  std::vector<Plan> plans(claims.size());
  for (std::size_t c = 0; c < claims.size(); ++c) {
    Plan& plan = plans[c];
    plan.old = state.consumer(claims[c].consumer);
    std::vector<bool> kept(plan.old ? plan.old->vgpus.size() : 0, false);
    for (const auto& [key, used] : summed(claims[c].allocations)) {
      const auto& [provider, cls] = key;
      const ManagedGpu* gpu = state.managed_gpu(provider);
      if (!gpu || used <= 0) continue;
      std::optional<ProfileIndex> profile = names.profile_of_class(cls);
      if (!profile) {
        if (!names.is_vgpu_class(cls)) continue;  // VCPU & co on a GPU provider: not a vGPU
        std::string why;
        profile = vgpu_class_profile(catalog, *gpu, plan.old, why);
        if (!profile) {
          out.refusal = refusal(*gpu, claim_rule::kAmbiguousProfile, why);
          return out;
        }
      }
      std::int64_t count = used;
      for (std::size_t i = 0; plan.old && i < plan.old->vgpus.size() && count > 0; ++i) {
        const VgpuAssignment& v = plan.old->vgpus[i];
        if (kept[i] || v.gpu != provider || v.profile != *profile) continue;
        kept[i] = true;
        plan.vgpus.push_back(v);
        --count;
      }
      plan.wants.push_back({gpu, *profile, count});
    }
  }
  for (const Plan& plan : plans) {
    for (const VgpuAssignment& v : plan.vgpus) {
      work_of(*state.managed_gpu(v.gpu)).state.placed.push_back({v.profile, v.start});
    }
  }

  // 2. New vGPUs, one consumer after the other, on the GPUs as the earlier ones left them.
  for (Plan& plan : plans) {
    for (const Want& want : plan.wants) {
      if (want.count <= 0) continue;
      const ManagedGpu& gpu = *want.gpu;
      if (const ManagedHost* host = state.managed_host(gpu.hostname)) {
        const bool closed =
            host->state == HostPowerState::draining ||
            (host->state == HostPowerState::standby && !config.wake_standby_hosts);
        if (closed) {
          out.refusal = refusal(gpu, claim_rule::kHostState,
                                "host " + host->hostname + " is " +
                                    std::string(to_string(host->state)) + ": no new vGPUs");
          return out;
        }
      }
      Work& w = work_of(gpu);
      const Fit f = fit(catalog, w.state, want.profile, static_cast<int>(want.count));
      if (!f.ok) {
        out.refusal = refusal(gpu, f.rule, f.detail);
        return out;
      }
      apply(w.state, want.profile, f);
      for (const int start : f.starts) plan.vgpus.push_back({gpu.provider, want.profile, start});
    }
    std::sort(plan.vgpus.begin(), plan.vgpus.end(), [](const auto& a, const auto& b) {
      return std::tie(a.gpu, a.start, a.profile) < std::tie(b.gpu, b.start, b.profile);
    });
  }

  // 3. Seats, against the pools with the claimed consumers' seats given back.
  LicencePools pools = state.licence_pools();
  for (const Plan& plan : plans) {
    if (!plan.old) continue;
    for (const SeatHold& s : plan.old->seats) {
      if (s.edition >= kEditionCount) continue;
      std::int64_t& used = pools.pools[s.edition].used;
      used = std::max<std::int64_t>(0, used - s.seats);
    }
  }
  for (std::size_t c = 0; c < claims.size(); ++c) {
    const Plan& plan = plans[c];
    std::array<std::int64_t, kEditionCount> vgpus{};
    std::array<const ManagedGpu*, kEditionCount> first_gpu{};
    for (const VgpuAssignment& v : plan.vgpus) {
      if (v.profile < 0 || static_cast<std::size_t>(v.profile) >= catalog.profiles().size())
        continue;
      const auto e = static_cast<std::size_t>(catalog.profile(v.profile).edition);
      if (vgpus[e]++ == 0) first_gpu[e] = state.managed_gpu(v.gpu);
    }
    std::array<std::int64_t, kEditionCount> before{};
    if (plan.old)
      for (const SeatHold& s : plan.old->seats)
        if (s.edition < kEditionCount) before[s.edition] += s.seats;
    std::array<std::int64_t, kEditionCount> seats{};
    HeldEditions held{};
    for (std::size_t e = 0; e < kEditionCount; ++e) {  // vWS first: B may ride on its seat
      if (vgpus[e] == 0) continue;
      const auto edition = static_cast<Edition>(e);
      const std::int64_t needed = config.licences.unit == SeatUnit::per_vgpu ? vgpus[e] : 1;
      // Seats the consumer already holds for these vGPUs stay where they are, even in a pool
      // that has since shrunk below its use: a re-put takes nothing new (the store checks only
      // seats taken). A B vGPU on a borrowed vWS seat keeps it too.
      std::optional<Edition> keep;
      if (before[e] - seats[e] >= needed) {
        keep = edition;
      } else if (edition == Edition::vpc && config.licences.b_series_borrows_vws) {
        const std::size_t vws = static_cast<std::size_t>(Edition::rtx_vws);
        if (config.licences.unit == SeatUnit::per_vm && held[vws]) keep = Edition::rtx_vws;
        else if (before[vws] - seats[vws] >= needed) keep = Edition::rtx_vws;
      }
      if (keep) {
        const auto k = static_cast<std::size_t>(*keep);
        const bool rides = config.licences.unit == SeatUnit::per_vm && held[k];
        const std::int64_t n = rides ? 0 : needed;
        pools.pools[k].used += n;
        seats[k] += n;
        held[k] = true;
        continue;
      }
      const SeatGrant g = grant_seats(pools, config.licences, {edition, vgpus[e], held, use_reserve});
      if (!g.ok) {
        out.refusal = refusal(*first_gpu[e], claim_rule::kLicence, g.detail);
        return out;
      }
      pools = take_seats(pools, g);
      seats[static_cast<std::size_t>(g.charged)] += g.seats;
      held[static_cast<std::size_t>(g.charged)] = true;  // per VM: later editions ride on it
    }
    ConsumerVgpus result;
    result.consumer = claims[c].consumer;
    result.vgpus = plan.vgpus;
    for (std::size_t e = 0; e < kEditionCount; ++e) {
      const auto edition = static_cast<std::uint8_t>(e);
      if (seats[e] > 0) result.seats.push_back({edition, seats[e]});
      if (seats[e] != before[e]) result.seat_changes.push_back({edition, seats[e] - before[e], use_reserve});
    }
    out.consumers.push_back(std::move(result));
  }
  return out;
}

void fill_vgpu_changes(const ClaimOutcome& outcome, ChangeSet& changes) {
  auto find = [&](const Uuid& uuid) -> const ConsumerVgpus* {
    for (const ConsumerVgpus& c : outcome.consumers)
      if (c.consumer == uuid) return &c;
    return nullptr;
  };
  for (Change& change : changes.changes) {
    if (auto* put = std::get_if<PutConsumer>(&change)) {
      if (const ConsumerVgpus* c = find(put->consumer.uuid)) {
        put->consumer.vgpus = c->vgpus;
        put->consumer.seats = c->seats;
        put->seat_changes = c->seat_changes;
      }
    } else if (auto* del = std::get_if<DeleteConsumer>(&change)) {
      if (const ConsumerVgpus* c = find(del->uuid)) del->seat_changes = c->seat_changes;
    }
  }
}

std::vector<SeatChange> release_seat_changes(const Consumer& consumer) {
  std::vector<SeatChange> out;
  for (const SeatHold& s : consumer.seats)
    if (s.seats > 0) out.push_back({s.edition, -s.seats, false});
  return out;
}

}  // namespace vgpu::scheduler::vgpu
