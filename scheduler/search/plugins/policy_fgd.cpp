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

  // A new tree: its node view is read on first use (most trees have no room by the end of a
  // run and are never scored).
  void begin_tree(const SearchContext& ctx, const Provider&) const override {
    ++tree_serial_;
    ask_ = sim::pod_ask(ctx.request(), model_);
  }

  int score(const SearchContext& ctx, const ProviderQuery& q) const override {
    if (!ask_.shares_gpu(model_.units_per_gpu)) return 0;
    bool gpu_slot = false;
    for (const ResourceAmount& r : q.slot.resources) gpu_slot |= r.resource_class == model_.gpu_share;
    if (!gpu_slot) return 0;
    read(ctx, q.anchor.id);
    const sim::NodeView after = policy::with_pod_on(node_, ask_, q.provider.id);
    return static_cast<int>(fgd_score(before_, frag_.amount(after)));
  }

  std::optional<double> candidate_score(const SearchContext& ctx, const Candidate& c) const override {
    read(ctx, c.anchor);
    return static_cast<double>(fgd_score(before_, frag_.amount(node_.after(c, model_))));
  }

 private:
  sim::NodeModel model_;
  const sim::FgdFragmentation& frag_;
  void read(const SearchContext& ctx, ProviderId root) const {
    if (node_.root == root && read_for_ == tree_serial_) return;
    node_ = sim::node_view(ctx.state(), root, model_);
    before_ = frag_.amount(node_);
    read_for_ = tree_serial_;
  }

  // The tree being scored (begin_tree) and what was read of it; one search at a time.
  mutable std::uint64_t tree_serial_ = 0;
  mutable std::uint64_t read_for_ = ~std::uint64_t{0};
  mutable sim::PodAsk ask_;
  mutable sim::NodeView node_;
  mutable double before_ = 0;
};

}  // namespace

std::unique_ptr<ScorePlugin> make_policy_fgd(const sim::NodeModel& model,
                                             const sim::FgdFragmentation& fragmentation) {
  return std::make_unique<PolicyFgd>(model, fragmentation);
}

}  // namespace vgpu::scheduler::search
