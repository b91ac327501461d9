// The vGPU score of serving a slot from a managed GPU: the scheduler/vgpu score functions on
// the GPU and its host before and after the placement, combined with the configured weights
// (score_weights.hpp; VgpuRequest::weights swaps spread in when the request opts in):
//   packing        GPU fill after the placement (equal-size: vGPUs of the profile / its max per
//                  GPU; mixed-size and MIG: occupied slots / the axis) 3/4, host's busy GPUs 1/4
//   spread         100 - packing
//   fragmentation  FGD against the recent request mix: free framebuffer the mix could no
//                  longer use, before vs after (free_count from the placement rules); neutral
//                  50 without a mix; minus 50 per GPU of the host the placement strands (its
//                  vCPUs or RAM could no longer take another VM like this one:
//                  score_stranding.hpp)
//   energy         marginal watts of the placement (power_model.hpp) against the GPU's
//                  busy - idle watts: a busy GPU 100, an idle GPU 20, a standby host 0..10
// The parts rank trees against each other (search.cpp) and are what explain shows; score() is
// their total rounded. Plain providers, and slots asking no vGPU, get no parts and score 0.
#include <algorithm>
#include <cmath>

#include "scheduler/search/plugins/vgpu_plugins.hpp"
#include "scheduler/search/plugins/vgpu_request.hpp"
#include "scheduler/vgpu/score_energy.hpp"
#include "scheduler/vgpu/score_fragmentation.hpp"
#include "scheduler/vgpu/score_packing.hpp"
#include "scheduler/vgpu/score_spread.hpp"
#include "scheduler/vgpu/score_stranding.hpp"

namespace vgpu::scheduler::search {
namespace {

using vgpu::ProfileIndex;

bool valid(const vgpu::Catalog& c, ProfileIndex p) {
  return p >= 0 && static_cast<std::size_t>(p) < c.profiles().size();
}

std::int64_t framebuffer_used(const vgpu::Catalog& c, const vgpu::GpuState& gpu) {
  std::int64_t sum = 0;
  for (const vgpu::PlacedVgpu& v : gpu.placed)
    if (valid(c, v.profile)) sum += c.profile(v.profile).framebuffer_mb;
  return sum;
}

// Whether the GPU could ever host the profile in its current mode (the mix is judged only on
// those: a profile it can never take would shift every score alike).
bool could_host(const vgpu::Catalog& c, const vgpu::GpuState& gpu, ProfileIndex p) {
  if (!valid(c, p)) return false;
  const vgpu::Profile& prof = c.profile(p);
  if (prof.board != gpu.board) return false;
  if (!gpu.supported.empty() &&
      std::find(gpu.supported.begin(), gpu.supported.end(), p) == gpu.supported.end())
    return false;
  switch (gpu.mode) {
    case vgpu::GpuMode::equal_size: return !prof.is_mig() && prof.max_equal_size > 0;
    case vgpu::GpuMode::mixed_size: return !prof.is_mig() && prof.max_mixed_size > 0;
    case vgpu::GpuMode::mig: return prof.is_mig() && prof.max_mig > 0;
  }
  return false;
}

vgpu::PackingInput packing_input(const vgpu::Catalog& c, const ManagedGpu& gpu,
                                 const vgpu::GpuState& after, ProfileIndex first,
                                 const HostView& host) {
  vgpu::PackingInput in;
  if (after.mode == vgpu::GpuMode::equal_size) {
    in.gpu_used_after = static_cast<std::int64_t>(after.placed.size());
    in.gpu_capacity = valid(c, first) ? c.profile(first).max_equal_size : 0;
  } else {
    const std::vector<int> occupied = vgpu::occupied_slots(c, after);
    for (int n : occupied) in.gpu_used_after += n > 0 ? 1 : 0;
    in.gpu_capacity = static_cast<std::int64_t>(occupied.size());
  }
  in.host_gpus_busy = host.busy_gpus;
  in.host_gpus_total = static_cast<int>(host.gpus.size());
  return in;
}

// GPUs of the host left stranded by placing the request with `gpu` becoming `after`
// (score_stranding.hpp). The request's asks on the host are those of its classes the root has
// inventory of (VCPU, MEMORY_MB, DISK_GB in Nova's trees), summed over its groups.
double stranded(const SearchContext& ctx, const Provider& root, const HostView& host,
                const ManagedGpu& gpu, const vgpu::GpuState& after, const vgpu::Catalog& c) {
  FlatMap<ClassId, std::int64_t> asked;
  for (const GroupRequest& g : ctx.request().groups)
    for (const ResourceAmount& r : g.resources)
      if (r.amount > 0 && root.inventories.contains(r.resource_class)) asked[r.resource_class] += r.amount;
  if (asked.empty()) return 0;
  std::vector<vgpu::HostResourceAsk> asks;
  for (const auto& [rc, amount] : asked) {
    const std::int64_t* used = root.usage.find(rc);
    asks.push_back({root.inventories.find(rc)->capacity() - (used ? *used : 0), amount});
  }
  double room = 0;
  for (const ManagedGpu* g : host.gpus) room += vgpu::free_share(c, g->provider == gpu.provider ? after : g->gpu);
  return vgpu::stranded_gpus(asks, room);
}

double fragmentation(const VgpuRequest& v, const ManagedGpu& gpu, const vgpu::GpuState& after) {
  const auto* mix = v.request_mix();
  if (!mix || mix->empty()) return 50;  // nothing known of the demand: neutral
  // The costliest part (free_count per profile of the mix, twice, on mixed-size and MIG axes):
  // not computed when it does not count (reported as the neutral 50).
  if (!(v.weights().fragmentation > 0)) return 50;
  const vgpu::Catalog& c = v.catalog();
  const auto board = static_cast<std::size_t>(gpu.gpu.board);
  if (gpu.gpu.board < 0 || board >= c.boards().size()) return 50;
  return v.fragmentation(gpu.gpu, after, [&] {
    const std::int64_t capacity = c.board(gpu.gpu.board).framebuffer_mb;
    const auto fits = vgpu::mix_fits(
        *mix,
        [&](ProfileIndex p) -> std::int64_t {
          return could_host(c, gpu.gpu, p) ? c.profile(p).framebuffer_mb : 0;
        },
        [&](ProfileIndex p) { return vgpu::free_count(c, gpu.gpu, p); },
        [&](ProfileIndex p) { return vgpu::free_count(c, after, p); });
    vgpu::FragmentationInput in;
    in.capacity = capacity;
    in.free_before = capacity - framebuffer_used(c, gpu.gpu);
    in.free_after = capacity - framebuffer_used(c, after);
    in.mix = fits;
    return vgpu::fragmentation_score(in);
  });
}

double energy(const ManagedGpu& gpu, const HostView& host) {
  const std::size_t i = host.index_of(gpu.provider);
  if (i >= host.gpus.size()) return 50;
  const vgpu::GpuPower& power = host.power.gpus[i];
  vgpu::EnergyInput in;
  in.marginal_watts = vgpu::marginal_watts(host.power, host.state(), host.vgpus_per_gpu, i);
  in.host_state = host.state();
  in.reference_watts = power.busy_watts - power.idle_watts;
  return vgpu::energy_score(in);
}

class VgpuScore final : public ScorePlugin {
 public:
  explicit VgpuScore(const vgpu::VgpuConfig&) {}
  std::string_view name() const override { return "VgpuScore"; }
  bool keeps_gpus_free() const override { return true; }

  int score(const SearchContext& ctx, const ProviderQuery& q) const override {
    const auto p = parts(ctx, q);
    return p ? static_cast<int>(std::lround(p->total)) : 0;
  }

  std::optional<vgpu::ScoreParts> parts(const SearchContext& ctx,
                                        const ProviderQuery& q) const override {
    const VgpuRequest* v = ctx.vgpu();
    if (!v) return std::nullopt;
    const std::size_t slot = ctx.slot_index(q.slot);
    if (v->asks(slot).empty()) return std::nullopt;
    const ManagedGpu* gpu = ctx.state().managed_gpu(q.provider.id);
    if (!gpu) return std::nullopt;
    const GpuEvaluation& e = v->evaluate(slot, *gpu);
    const ResolvedVgpus& r = e.resolved;
    if (!r.ok() || r.vgpus.empty()) return std::nullopt;
    const Placement& placed = e.placement;
    if (!placed.fit.ok) return std::nullopt;  // refused by VgpuGpuRules; never scored
    const HostView& host = v->host_view(*gpu);
    const vgpu::PackingInput pack =
        packing_input(v->catalog(), *gpu, placed.after, r.vgpus.front().first, host);
    vgpu::ScoreParts parts;
    parts.packing = vgpu::packing_score(pack);
    parts.spread = vgpu::spread_score(pack);
    parts.fragmentation = std::clamp(
        fragmentation(*v, *gpu, placed.after) -
            50.0 * stranded(ctx, q.anchor, host, *gpu, placed.after, v->catalog()),
        0.0, 100.0);
    parts.energy = energy(*gpu, host);
    return vgpu::combine(v->weights(), parts);
  }
};

}  // namespace

std::unique_ptr<ScorePlugin> make_vgpu_score(const vgpu::VgpuConfig& config) {
  return std::make_unique<VgpuScore>(config);
}

}  // namespace vgpu::scheduler::search
