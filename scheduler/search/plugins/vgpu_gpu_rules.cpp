// The per-GPU rules (placement_rules.hpp): for a slot served by a managed GPU, the profile it
// asks for (vgpu_request.hpp: from the class, the group's profile traits, or the GPU itself)
// must fit the GPU as it is now: one profile per GPU in equal-size mode, an aligned free run in
// mixed-size mode, a free valid start in MIG mode, and each profile's maximum. The reason is
// the rule that refused ("equal_size", "mig", "unsupported_profile", "ambiguous_profile", ...).
#include "scheduler/search/plugins/vgpu_plugins.hpp"
#include "scheduler/search/plugins/vgpu_request.hpp"

namespace vgpu::scheduler::search {
namespace {

class VgpuGpuRules final : public FilterPlugin {
 public:
  explicit VgpuGpuRules(const vgpu::VgpuConfig&) {}
  std::string_view name() const override { return "VgpuGpuRules"; }

  Status filter(const SearchContext& ctx, const ProviderQuery& q) const override {
    std::string* none = nullptr;
    return check(ctx, q, none);
  }

  std::string detail(const SearchContext& ctx, const ProviderQuery& q,
                     const Status& status) const override {
    std::string out(status.reason);
    std::string* sink = &out;
    check(ctx, q, sink);
    return out;
  }

 private:
  // The decision; with `detail` set, also the sentence that explains a refusal.
  static Status check(const SearchContext& ctx, const ProviderQuery& q, std::string*& detail) {
    const VgpuRequest* v = ctx.vgpu();
    if (!v) return Status::success();
    const std::size_t slot = ctx.slot_index(q.slot);
    if (v->asks(slot).empty()) return Status::success();
    const ManagedGpu* gpu = ctx.state().managed_gpu(q.provider.id);
    if (!gpu) return Status::success();
    const GpuEvaluation& e = v->evaluate(slot, *gpu);
    const ResolvedVgpus& r = e.resolved;
    if (!r.ok()) {
      if (detail) *detail = r.detail;
      return Status::reject(r.rule);
    }
    const Placement& placed = e.placement;
    if (!placed.fit.ok) {
      if (detail) *detail = v->gpu_name(*gpu) + ": " + placed.fit.detail;
      return Status::reject(placed.fit.rule);
    }
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<FilterPlugin> make_vgpu_gpu_rules(const vgpu::VgpuConfig& config) {
  return std::make_unique<VgpuGpuRules>(config);
}

}  // namespace vgpu::scheduler::search
