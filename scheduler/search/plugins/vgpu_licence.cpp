// Licence seats (licence_pool.hpp): the whole request's vGPUs of each edition against that
// edition's pool (per VM or per vGPU, reserve held back, B borrowing vWS when configured).
// The demand does not depend on the GPU once the profile is known, so the decision is made once
// per request and edition (VgpuRequest::seats) and every managed GPU offered for a slot of that
// edition is refused with the pool's numbers when the pool cannot grant it. Plain providers
// take no seats.
#include <map>

#include "scheduler/search/plugins/vgpu_plugins.hpp"
#include "scheduler/search/plugins/vgpu_request.hpp"

namespace vgpu::scheduler::search {
namespace {

class VgpuLicence final : public FilterPlugin {
 public:
  explicit VgpuLicence(const vgpu::VgpuConfig&) {}
  std::string_view name() const override { return "VgpuLicence"; }

  Status filter(const SearchContext& ctx, const ProviderQuery& q) const override {
    return refusal(ctx, q) ? Status::reject(vgpu_rule::kLicence) : Status::success();
  }

  std::string detail(const SearchContext& ctx, const ProviderQuery& q,
                     const Status& status) const override {
    const vgpu::SeatGrant* g = refusal(ctx, q);
    return g ? g->detail : std::string(status.reason);
  }

 private:
  // The grant that refuses this slot's vGPUs on this GPU, or null when seats are granted.
  static const vgpu::SeatGrant* refusal(const SearchContext& ctx, const ProviderQuery& q) {
    const VgpuRequest* v = ctx.vgpu();
    if (!v) return nullptr;
    const std::size_t slot = ctx.slot_index(q.slot);
    if (v->asks(slot).empty()) return nullptr;
    const ManagedGpu* gpu = ctx.state().managed_gpu(q.provider.id);
    if (!gpu) return nullptr;
    const ResolvedVgpus& r = v->evaluate(slot, *gpu).resolved;
    if (!r.ok()) return nullptr;  // VgpuGpuRules refuses it, with the reason
    std::map<vgpu::Edition, std::int64_t> by_edition;
    for (const auto& [profile, count] : r.vgpus)
      if (profile >= 0 && static_cast<std::size_t>(profile) < v->catalog().profiles().size())
        by_edition[v->catalog().profile(profile).edition] += count;
    for (const auto& [edition, count] : by_edition) {
      const vgpu::SeatGrant& g = v->seats(edition, slot, count);
      if (!g.ok) return &g;
    }
    return nullptr;
  }
};

}  // namespace

std::unique_ptr<FilterPlugin> make_vgpu_licence(const vgpu::VgpuConfig& config) {
  return std::make_unique<VgpuLicence>(config);
}

}  // namespace vgpu::scheduler::search
