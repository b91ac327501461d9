#include "scheduler/search/plugins/vgpu_request.hpp"

#include <algorithm>

#include "scheduler/search/context.hpp"

namespace vgpu::scheduler::search {
namespace {

using vgpu::ProfileIndex;

bool valid_profile(const vgpu::Catalog& catalog, ProfileIndex p) {
  return p >= 0 && static_cast<std::size_t>(p) < catalog.profiles().size();
}

bool gpu_supports(const vgpu::Catalog& catalog, const vgpu::GpuState& gpu, ProfileIndex p) {
  if (!valid_profile(catalog, p) || catalog.profile(p).board != gpu.board) return false;
  return gpu.supported.empty() ||
         std::find(gpu.supported.begin(), gpu.supported.end(), p) != gpu.supported.end();
}

std::string profile_list(const vgpu::Catalog& catalog, const std::vector<ProfileIndex>& ps) {
  std::string out;
  for (ProfileIndex p : ps) {
    if (!out.empty()) out += ", ";
    out += valid_profile(catalog, p) ? catalog.profile(p).name : "?";
  }
  return out;
}

}  // namespace

std::size_t HostView::index_of(ProviderId gpu) const {
  for (std::size_t i = 0; i < gpus.size(); ++i)
    if (gpus[i]->provider == gpu) return i;
  return gpus.size();
}

VgpuRequest::VgpuRequest(const State& state, const SearchRequest& request,
                         const std::vector<Slot>& slots, const vgpu::VgpuConfig& config)
    : state_(state), request_(request), slots_(slots), config_(config),
      names_(config, state.classes(), state.traits()) {
  trait_profiles_.resize(request.groups.size());
  for (std::size_t g = 0; g < request.groups.size(); ++g)
    for (const auto& any : request.groups[g].traits.required_any)
      for (TraitId t : any)
        if (auto p = names_.profile_of_trait(t)) trait_profiles_[g].push_back(*p);

  asks_.resize(slots.size());
  known_demand_.resize(slots.size());
  for (std::size_t s = 0; s < slots.size(); ++s) {
    known_demand_[s].fill(0);
    for (const ResourceAmount& r : slots[s].resources) {
      VgpuAsk ask{r.resource_class, static_cast<int>(r.amount),
                  names_.profile_of_class(r.resource_class)};
      if (!ask.profile && !names_.is_vgpu_class(r.resource_class)) continue;  // not a vGPU
      asks_[s].push_back(ask);
      asks_any_ = true;
      // The licence demand known before any GPU is looked at: a class naming the profile, or
      // VGPU with exactly one profile trait. VGPU naming none is decided per GPU.
      std::optional<ProfileIndex> known = ask.profile;
      const auto& named = trait_profiles_[slots[s].group];
      if (!known && named.size() == 1) known = named.front();
      if (known && valid_profile(config.catalog, *known)) {
        const auto e = static_cast<std::size_t>(config.catalog.profile(*known).edition);
        known_demand_[s][e] += r.amount;
        known_total_[e] += r.amount;
      }
    }
  }

  weights_ = config.weights;
  if (request.prefer_spread) {
    const double instead = weights_.packing + weights_.energy;
    if (!(weights_.spread > 0)) weights_.spread = instead > 0 ? instead : 1;
    weights_.packing = 0;
    weights_.energy = 0;
  }
}

std::string VgpuRequest::gpu_name(const ManagedGpu& gpu) const {
  if (const Provider* p = state_.provider(gpu.provider)) return p->name;
  return gpu.hostname + " " + gpu.pci_address;
}

ResolvedVgpus VgpuRequest::resolve(std::size_t slot, const ManagedGpu& gpu) const {
  ResolvedVgpus out;
  const vgpu::Catalog& catalog = config_.catalog;
  for (const VgpuAsk& ask : asks_[slot]) {
    if (ask.profile) {
      out.vgpus.emplace_back(*ask.profile, ask.count);
      continue;
    }
    const auto& named = trait_profiles_[slots_[slot].group];
    if (!named.empty()) {
      std::vector<ProfileIndex> usable;
      for (ProfileIndex p : named)
        if (gpu_supports(catalog, gpu.gpu, p)) usable.push_back(p);
      if (usable.empty()) {
        out.rule = vgpu::rule::kUnsupportedProfile;
        out.detail = gpu_name(gpu) + " supports none of the requested profiles (" +
                     profile_list(catalog, named) + ")";
        return out;
      }
      // Any-of traits: the first profile that fits; else the first, and the fit says why not.
      ProfileIndex chosen = usable.front();
      for (ProfileIndex p : usable)
        if (vgpu::fit(catalog, gpu.gpu, p, ask.count).ok) {
          chosen = p;
          break;
        }
      out.vgpus.emplace_back(chosen, ask.count);
      continue;
    }
    // VGPU naming no profile: what a claim without traits means.
    if (gpu.gpu.mode == vgpu::GpuMode::equal_size && !gpu.gpu.placed.empty() &&
        valid_profile(catalog, gpu.gpu.placed.front().profile)) {
      out.vgpus.emplace_back(gpu.gpu.placed.front().profile, ask.count);
      continue;
    }
    if (gpu.gpu.supported.size() == 1) {
      out.vgpus.emplace_back(gpu.gpu.supported.front(), ask.count);
      continue;
    }
    out.rule = vgpu_rule::kAmbiguousProfile;
    out.detail = "VGPU on " + gpu_name(gpu) + " names no profile: the GPU (" +
                 std::string(vgpu::to_string(gpu.gpu.mode)) + ", " +
                 std::to_string(gpu.gpu.placed.size()) + " vGPUs placed) supports " +
                 (gpu.gpu.supported.empty() ? std::string("every profile of its board")
                                            : std::to_string(gpu.gpu.supported.size()) +
                                                  " profiles") +
                 "; name one with a CUSTOM_NVIDIA_<PROFILE> trait or use per-profile resource "
                 "classes (CUSTOM_VGPU_<PROFILE>)";
    return out;
  }
  return out;
}

const GpuEvaluation& VgpuRequest::evaluate(std::size_t slot, const ManagedGpu& gpu) const {
  const auto key = std::make_pair(slot, gpu.provider);
  auto it = evaluations_.find(key);
  if (it != evaluations_.end()) return it->second;
  GpuEvaluation e;
  e.resolved = resolve(slot, gpu);
  if (e.resolved.ok()) e.placement = place(gpu.gpu, e.resolved.vgpus);
  return evaluations_.emplace(key, std::move(e)).first->second;
}

namespace {

// The content of a GPU as a byte string: board, mode, supported profiles, placed vGPUs.
void append_key(std::string& key, const vgpu::GpuState& gpu) {
  auto put = [&](std::int32_t v) { key.append(reinterpret_cast<const char*>(&v), sizeof v); };
  put(gpu.board);
  put(static_cast<std::int32_t>(gpu.mode));
  put(static_cast<std::int32_t>(gpu.supported.size()));
  for (ProfileIndex p : gpu.supported) put(p);
  put(static_cast<std::int32_t>(gpu.placed.size()));
  for (const vgpu::PlacedVgpu& v : gpu.placed) {
    put(v.profile);
    put(v.start);
  }
}

}  // namespace

const Placement& VgpuRequest::place(const vgpu::GpuState& gpu,
                                    const std::vector<std::pair<ProfileIndex, int>>& vgpus) const {
  std::string key;
  key.reserve(16 + 8 * (gpu.supported.size() + gpu.placed.size() + vgpus.size()));
  append_key(key, gpu);
  for (const auto& [profile, count] : vgpus) {
    key.append(reinterpret_cast<const char*>(&profile), sizeof profile);
    key.append(reinterpret_cast<const char*>(&count), sizeof count);
  }
  auto it = placements_.find(key);
  if (it != placements_.end()) return it->second;
  Placement out{vgpu::Fit{true, {}, {}, {}}, gpu};
  for (const auto& [profile, count] : vgpus) {
    out.fit = vgpu::fit(config_.catalog, out.after, profile, count);
    if (!out.fit.ok) break;
    vgpu::apply(out.after, profile, out.fit);
  }
  return placements_.emplace(std::move(key), std::move(out)).first->second;
}

double VgpuRequest::fragmentation(const vgpu::GpuState& before, const vgpu::GpuState& after,
                                  const std::function<double()>& compute) const {
  std::string key;
  append_key(key, before);
  append_key(key, after);
  auto it = fragmentations_.find(key);
  if (it != fragmentations_.end()) return it->second;
  return fragmentations_.emplace(std::move(key), compute()).first->second;
}

const vgpu::SeatGrant& VgpuRequest::seats(vgpu::Edition edition, std::size_t slot,
                                          std::int64_t in_slot) const {
  const auto e = static_cast<std::size_t>(edition);
  const std::int64_t vgpus = known_total_[e] - known_demand_[slot][e] + in_slot;
  const auto key = std::make_pair(static_cast<int>(e), vgpus);
  auto it = grants_.find(key);
  if (it == grants_.end()) {
    vgpu::SeatDemand demand;
    demand.edition = edition;
    demand.vgpus = vgpus;
    it = grants_.emplace(key, vgpu::grant_seats(state_.licence_pools(), config_.licences, demand))
             .first;
  }
  return it->second;
}

const HostView& VgpuRequest::host_view(const ManagedGpu& gpu) const {
  auto it = hosts_.find(gpu.hostname);
  if (it != hosts_.end() && it->second.index_of(gpu.provider) < it->second.gpus.size())
    return it->second;
  HostView view;
  view.host = state_.managed_host(gpu.hostname);
  if (view.host) {
    for (const Uuid& u : view.host->gpus) {
      const Provider* p = state_.provider(u);
      const ManagedGpu* g = p ? state_.managed_gpu(p->id) : nullptr;
      if (g) view.gpus.push_back(g);
    }
  }
  if (view.index_of(gpu.provider) == view.gpus.size()) view.gpus.push_back(&gpu);
  vgpu::HostPowerFigures figures;
  if (view.host) {
    figures.idle_watts = view.host->idle_watts;
    figures.standby_watts = view.host->standby_watts;
  }
  std::vector<vgpu::GpuPower> defaults;
  for (const ManagedGpu* g : view.gpus) {
    figures.gpus.push_back(g->power);
    const auto b = g->gpu.board;
    const bool known = b >= 0 && static_cast<std::size_t>(b) < config_.catalog.boards().size();
    defaults.push_back(known ? vgpu::default_gpu_power(config_.catalog.board(b))
                             : vgpu::GpuPower{});
    const int n = static_cast<int>(g->gpu.placed.size());
    view.vgpus_per_gpu.push_back(n);
    if (n > 0) ++view.busy_gpus;
  }
  view.power = vgpu::resolve(figures, defaults);
  return hosts_[gpu.hostname] = std::move(view);
}

bool VgpuRequest::standby_allowed() const {
  return config_.wake_standby_hosts && request_.allow_wake_standby.value_or(true);
}

}  // namespace vgpu::scheduler::search
