// GPU packing (the FGD paper's GpuPacking baseline, adapted to vGPUs): fill GPUs that already
// hold vGPUs, then idle GPUs of hosts already in use, and wake idle hosts last. Inside a host the
// GPU with the least share left that the rules allow (occupied GPUs before empty ones).
#include "scheduler/search/plugins/policy_vgpu_plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

std::int64_t share_left(const Provider& p, ClassId rc) {
  const Inventory* inv = p.inventories.find(rc);
  if (!inv) return -1;
  const std::int64_t* used = p.usage.find(rc);
  return inv->capacity() - (used ? *used : 0);
}

class PolicyGpuPacking : public ScorePlugin {
 public:
  explicit PolicyGpuPacking(const sim::NodeModel& model) : model_(model) {}
  std::string_view name() const override { return "PolicyGpuPacking"; }

  int score(const SearchContext&, const ProviderQuery& q) const override {
    const std::int64_t left = share_left(q.provider, model_.gpu_share);
    return left < 0 ? 0 : static_cast<int>(model_.units_per_gpu - left);  // less left: better
  }

  std::optional<double> candidate_score(const SearchContext& ctx, const Candidate& c) const override {
    const sim::NodeView v = sim::node_view(ctx.state(), c.anchor, model_);
    bool host_busy = false;
    for (std::int64_t l : v.gpu_left) host_busy = host_busy || l < model_.units_per_gpu;
    for (const AllocationPart& a : c.allocations) {
      if (a.resource_class != model_.gpu_share) continue;
      for (std::size_t i = 0; i < v.gpus.size(); ++i)
        if (v.gpus[i] == a.provider && v.gpu_left[i] < model_.units_per_gpu) return 2.0;
    }
    return host_busy ? 1.0 : 0.0;
  }

 private:
  sim::NodeModel model_;
};

}  // namespace

std::unique_ptr<ScorePlugin> make_policy_gpu_packing(const sim::NodeModel& model) {
  return std::make_unique<PolicyGpuPacking>(model);
}

}  // namespace vgpu::scheduler::search
