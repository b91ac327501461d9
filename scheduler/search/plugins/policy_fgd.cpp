// FGD, Fragmentation Gradient Descent (Weng et al., ATC'23): place where the node's expected
// fragmentation against the target workload grows least. The host score is the authors':
// trunc(100 x sigmoid((F(before) - F(after)) / 1000)); for a sharing pod each GPU is scored the
// same way and the best one is taken (ties: lower index). F comes from FgdFragmentation, whose
// memo makes the per-GPU and per-host evaluations cheap when nodes look alike.
#include <cmath>

#include "scheduler/search/plugins/policy_common.hpp"
#include "scheduler/search/plugins/policy_plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

std::int64_t fgd_score(double before, double after) {
  const double x = (before - after) / 1000.0;
  return static_cast<std::int64_t>(100.0 / (1.0 + std::exp(-x)));
}

class PolicyFgd : public ScorePlugin {
 public:
  PolicyFgd(const sim::NodeModel& model, const sim::FgdFragmentation& frag)
      : model_(model), frag_(frag) {}
  std::string_view name() const override { return "PolicyFgd"; }

  int score(const SearchContext& ctx, const ProviderQuery& q) const override {
    sim::PodAsk ask;
    if (!policy::is_shared_gpu_slot(ctx, q, model_, ask)) return 0;
    const sim::NodeView before = sim::node_view(ctx.state(), q.anchor.id, model_);
    const sim::NodeView after = policy::with_pod_on(before, ask, q.provider.id);
    return static_cast<int>(fgd_score(frag_.amount(before), frag_.amount(after)));
  }

  std::optional<double> candidate_score(const SearchContext& ctx, const Candidate& c) const override {
    const sim::NodeView before = sim::node_view(ctx.state(), c.anchor, model_);
    const sim::NodeView after = before.after(c, model_);
    return static_cast<double>(fgd_score(frag_.amount(before), frag_.amount(after)));
  }

 private:
  sim::NodeModel model_;
  const sim::FgdFragmentation& frag_;
};

}  // namespace

std::unique_ptr<ScorePlugin> make_policy_fgd(const sim::NodeModel& model,
                                             const sim::FgdFragmentation& fragmentation) {
  return std::make_unique<PolicyFgd>(model, fragmentation);
}

}  // namespace vgpu::scheduler::search
