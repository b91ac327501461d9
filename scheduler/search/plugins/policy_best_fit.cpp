// BestFit, as the FGD authors' BestFitScore and their default "best" GPU selection: the host
// with the least CPU and GPU share left after placing (each normalised by the largest node
// spec, weighted 0.5/0.5), and for a sharing pod the GPU with the least share left that fits.
#include <cmath>

#include "scheduler/search/plugins/policy_common.hpp"
#include "scheduler/search/plugins/policy_plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

class PolicyBestFit : public ScorePlugin {
 public:
  PolicyBestFit(const sim::NodeModel& model, double max_cpu, double max_gpu)
      : model_(model), max_cpu_(max_cpu), max_gpu_(max_gpu) {}
  std::string_view name() const override { return "PolicyBestFit"; }

  int score(const SearchContext& ctx, const ProviderQuery& q) const override {
    sim::PodAsk ask;
    if (!policy::is_shared_gpu_slot(ctx, q, model_, ask)) return 0;
    const Inventory* inv = q.provider.inventories.find(model_.gpu_share);
    if (!inv) return 0;
    const std::int64_t* used = q.provider.usage.find(model_.gpu_share);
    const std::int64_t left = inv->capacity() - (used ? *used : 0);
    return static_cast<int>(model_.units_per_gpu - left);  // less left: better
  }

  std::optional<double> candidate_score(const SearchContext& ctx, const Candidate& c) const override {
    const sim::NodeView after = sim::node_view(ctx.state(), c.anchor, model_).after(c, model_);
    const double left = 0.5 * static_cast<double>(after.cpu_left) / max_cpu_ +
                        0.5 * static_cast<double>(after.gpu_left_total()) / max_gpu_;
    const auto score = static_cast<std::int64_t>((1.0 - left) * 100.0);
    return static_cast<double>(score);
  }

 private:
  sim::NodeModel model_;
  double max_cpu_;
  double max_gpu_;
};

}  // namespace

std::unique_ptr<ScorePlugin> make_policy_best_fit(const sim::NodeModel& model,
                                                  double max_cpu_milli, double max_gpu_milli) {
  return std::make_unique<PolicyBestFit>(model, max_cpu_milli, max_gpu_milli);
}

}  // namespace vgpu::scheduler::search
