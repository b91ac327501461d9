// Two slots of one candidate on the same managed GPU (two numbered groups with
// group_policy=none, or the unnumbered group and a numbered one) must fit together: the filter
// checked each alone. Their vGPUs are placed one after the other on the GPU (fit, apply, fit),
// so equal-size mode sees the total count and the one-profile rule, mixed-size and MIG the
// slots the first took (MIG 3g + 4g fits, 4g + 4g does not).
#include "scheduler/search/plugins/vgpu_plugins.hpp"
#include "scheduler/search/plugins/vgpu_request.hpp"

namespace vgpu::scheduler::search {
namespace {

class VgpuSameGpu final : public PermitPlugin {
 public:
  explicit VgpuSameGpu(const vgpu::VgpuConfig&) {}
  std::string_view name() const override { return "VgpuSameGpu"; }

  Status permit(const SearchContext& ctx, const PartialCandidate& partial, std::size_t slot,
                const Provider& p) const override {
    std::string* none = nullptr;
    return check(ctx, partial, slot, p, none);
  }

  std::string permit_detail(const SearchContext& ctx, const PartialCandidate& partial,
                            std::size_t slot, const Provider& p,
                            const Status& status) const override {
    std::string out(status.reason);
    std::string* sink = &out;
    check(ctx, partial, slot, p, sink);
    return out;
  }

 private:
  static Status check(const SearchContext& ctx, const PartialCandidate& partial,
                      std::size_t slot, const Provider& p, std::string*& detail) {
    const VgpuRequest* v = ctx.vgpu();
    if (!v || v->asks(slot).empty()) return Status::success();
    const ManagedGpu* gpu = ctx.state().managed_gpu(p.id);
    if (!gpu) return Status::success();
    std::vector<std::pair<vgpu::ProfileIndex, int>> vgpus;
    std::size_t earlier = 0;
    for (std::size_t i = 0; i < partial.chosen.size() && i < slot; ++i) {
      if (partial.chosen[i]->id != p.id || v->asks(i).empty()) continue;
      const ResolvedVgpus& r = v->evaluate(i, *gpu).resolved;
      if (!r.ok()) return Status::reject(r.rule);  // not reached: the filter refused it
      vgpus.insert(vgpus.end(), r.vgpus.begin(), r.vgpus.end());
      ++earlier;
    }
    if (earlier == 0) return Status::success();  // alone on the GPU: the filter decided
    const ResolvedVgpus& mine = v->evaluate(slot, *gpu).resolved;
    if (!mine.ok()) return Status::reject(mine.rule);
    vgpus.insert(vgpus.end(), mine.vgpus.begin(), mine.vgpus.end());
    const Placement placed = v->place(gpu->gpu, vgpus);
    if (!placed.fit.ok) {
      if (detail)
        *detail = v->gpu_name(*gpu) + ", with the vGPUs of " + std::to_string(earlier) +
                  " other group(s) of the candidate: " + placed.fit.detail;
      return Status::reject(placed.fit.rule);
    }
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<PermitPlugin> make_vgpu_same_gpu(const vgpu::VgpuConfig& config) {
  return std::make_unique<VgpuSameGpu>(config);
}

}  // namespace vgpu::scheduler::search
