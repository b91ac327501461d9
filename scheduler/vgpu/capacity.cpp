#include "scheduler/vgpu/capacity.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>

#include "scheduler/vgpu/placement_rules.hpp"
#include "scheduler/vgpu/power_model.hpp"

namespace vgpu::scheduler::vgpu {
namespace {

// free_count of mixed-size and MIG GPUs is a small search (~10 us); a fleet has few distinct GPU
// states (most GPUs are empty or filled alike), so counts are kept per distinct state:
// 80,000 empty mixed-size GPUs x 29 profiles cost one count per profile, not 2.3 million.
class FreeCounter {
 public:
  using Counts = std::unordered_map<ProfileIndex, int>;
  explicit FreeCounter(const Catalog& catalog) : catalog_(catalog) {}

  // The counts of every GPU in this state (board, mode, supported, placed in any order).
  Counts& of(const GpuState& gpu) {
    std::string key;
    key.reserve(16 + 4 * (gpu.supported.size() + 2 * gpu.placed.size()));
    auto put = [&](std::int32_t v) { key.append(reinterpret_cast<const char*>(&v), sizeof v); };
    put(gpu.board);
    put(static_cast<std::int32_t>(gpu.mode));
    put(static_cast<std::int32_t>(gpu.supported.size()));
    for (ProfileIndex p : gpu.supported) put(p);
    std::vector<std::pair<int, ProfileIndex>> placed;
    for (const PlacedVgpu& v : gpu.placed) placed.emplace_back(v.start, v.profile);
    std::sort(placed.begin(), placed.end());
    for (const auto& [start, p] : placed) {
      put(start);
      put(p);
    }
    return states_[std::move(key)];
  }
  int count(Counts& counts, const GpuState& gpu, ProfileIndex profile) {
    auto [it, fresh] = counts.try_emplace(profile, 0);
    if (fresh) it->second = free_count(catalog_, gpu, profile);
    return it->second;
  }

 private:
  const Catalog& catalog_;
  std::unordered_map<std::string, Counts> states_;
};

bool valid(const Catalog& catalog, ProfileIndex p) {
  return p >= 0 && static_cast<std::size_t>(p) < catalog.profiles().size();
}

std::vector<ProfileIndex> supported_of(const Catalog& catalog, const ManagedGpu& gpu) {
  return gpu.gpu.supported.empty() ? catalog.profiles_of(gpu.gpu.board) : gpu.gpu.supported;
}

HostPowerState state_of(const State& state, const ManagedGpu& gpu) {
  const ManagedHost* host = state.managed_host(gpu.hostname);
  return host ? host->state : HostPowerState::active;
}

std::optional<std::int64_t> seats_for(const State& state, const VgpuConfig& config,
                                      ProfileIndex profile) {
  const Edition e = config.catalog.profile(profile).edition;
  const LicencePools& pools = state.licence_pools();
  std::optional<std::int64_t> free = free_seats(pools[e]);
  if (free && e == Edition::vpc && config.licences.b_series_borrows_vws) {
    const auto vws = free_seats(pools[Edition::rtx_vws]);
    free = vws ? std::optional(*free + *vws) : std::nullopt;
  }
  return free;
}

void finish(const State& state, const VgpuConfig& config, ProfileCapacity& c) {
  c.free_seats = seats_for(state, config, c.profile);
  c.licence_bound = c.free_seats ? std::min(c.free, *c.free_seats) : c.free;
}

void count(const State& state, FreeCounter& free, FreeCounter::Counts& counts,
           const ManagedGpu& gpu, ProfileIndex p, ProfileCapacity& c) {
  ++c.gpus;
  const HostPowerState host = state_of(state, gpu);
  if (host == HostPowerState::draining) return;
  const int n = free.count(counts, gpu.gpu, p);
  (host == HostPowerState::standby ? c.free_standby : c.free) += n;
}

}  // namespace

std::vector<ProfileCapacity> profile_capacity(const State& state, const VgpuConfig& config) {
  const Catalog& catalog = config.catalog;
  FreeCounter free(catalog);
  std::map<ProfileIndex, ProfileCapacity> by_profile;
  for (const ManagedHost* host : state.managed_hosts()) {
    for (const Uuid& u : host->gpus) {
      const Provider* p = state.provider(u);
      const ManagedGpu* gpu = p ? state.managed_gpu(p->id) : nullptr;
      if (!gpu) continue;
      FreeCounter::Counts& counts = free.of(gpu->gpu);
      for (ProfileIndex prof : supported_of(catalog, *gpu)) {
        if (!valid(catalog, prof)) continue;
        ProfileCapacity& c = by_profile[prof];
        c.profile = prof;
        count(state, free, counts, *gpu, prof, c);
      }
    }
  }
  std::vector<ProfileCapacity> out;
  for (auto& [p, c] : by_profile) {
    finish(state, config, c);
    out.push_back(c);
  }
  return out;
}

ProfileCapacity profile_capacity(const State& state, const VgpuConfig& config,
                                 ProfileIndex profile) {
  ProfileCapacity c;
  c.profile = profile;
  if (!valid(config.catalog, profile)) return c;
  FreeCounter free(config.catalog);
  for (const ManagedHost* host : state.managed_hosts()) {
    for (const Uuid& u : host->gpus) {
      const Provider* p = state.provider(u);
      const ManagedGpu* gpu = p ? state.managed_gpu(p->id) : nullptr;
      if (!gpu) continue;
      const auto supported = supported_of(config.catalog, *gpu);
      if (std::find(supported.begin(), supported.end(), profile) == supported.end()) continue;
      count(state, free, free.of(gpu->gpu), *gpu, profile, c);
    }
  }
  finish(state, config, c);
  return c;
}

namespace {

HostSummary summarize(const State& state, const VgpuConfig& config, const ManagedHost& host,
                      FreeCounter& free) {
  const Catalog& catalog = config.catalog;
  HostSummary out;
  out.host = &host;
  HostPowerFigures figures{host.idle_watts, host.standby_watts, {}};
  std::vector<GpuPower> defaults;
  std::vector<int> per_gpu;
  for (const Uuid& u : host.gpus) {
    const Provider* p = state.provider(u);
    const ManagedGpu* gpu = p ? state.managed_gpu(p->id) : nullptr;
    if (!gpu) continue;
    GpuSummary g;
    g.gpu = gpu;
    g.provider = p;
    g.vgpus = static_cast<int>(gpu->gpu.placed.size());
    FreeCounter::Counts& counts = free.of(gpu->gpu);
    for (ProfileIndex prof : supported_of(catalog, *gpu)) {
      ProfileUse use{prof, 0, valid(catalog, prof) ? free.count(counts, gpu->gpu, prof) : 0};
      g.profiles.push_back(use);
    }
    for (const PlacedVgpu& v : gpu->gpu.placed) {
      auto it = std::find_if(g.profiles.begin(), g.profiles.end(),
                             [&](const ProfileUse& u) { return u.profile == v.profile; });
      if (it == g.profiles.end()) {
        g.profiles.push_back({v.profile, 0, 0});
        it = g.profiles.end() - 1;
      }
      ++it->used;
    }
    figures.gpus.push_back(gpu->power);
    const bool known_board =
        gpu->gpu.board >= 0 && static_cast<std::size_t>(gpu->gpu.board) < catalog.boards().size();
    defaults.push_back(known_board ? default_gpu_power(catalog.board(gpu->gpu.board)) : GpuPower{});
    per_gpu.push_back(g.vgpus);
    out.vgpus += g.vgpus;
    out.gpus.push_back(std::move(g));
  }
  const HostPower power = resolve(figures, defaults);
  out.watts = host_watts(power, host.state, per_gpu);
  const bool awake = is_awake(host.state) || out.vgpus > 0;
  for (std::size_t i = 0; i < out.gpus.size(); ++i)
    out.gpus[i].watts = awake ? gpu_watts(power.gpus[i], per_gpu[i]) : 0.0;
  return out;
}

}  // namespace

HostSummary summarize_host(const State& state, const VgpuConfig& config, const ManagedHost& host) {
  FreeCounter free(config.catalog);
  return summarize(state, config, host, free);
}

std::vector<HostSummary> summarize_hosts(const State& state, const VgpuConfig& config) {
  FreeCounter free(config.catalog);
  std::vector<HostSummary> out;
  for (const ManagedHost* host : state.managed_hosts())
    out.push_back(summarize(state, config, *host, free));
  return out;
}

}  // namespace vgpu::scheduler::vgpu
