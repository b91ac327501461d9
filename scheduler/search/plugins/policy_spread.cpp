// Spread, as Nova's default host weighers: free RAM and free vCPUs (each weight 1.0), higher is
// better, measured before the placement as Nova's HostState is. Inside the host no preference:
// the first GPU the rules allow, as Placement returns them.
#include "scheduler/search/plugins/policy_vgpu_plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

std::int64_t left(const Provider& p, ClassId rc) {
  const Inventory* inv = p.inventories.find(rc);
  if (!inv) return 0;
  const std::int64_t* used = p.usage.find(rc);
  return inv->capacity() - (used ? *used : 0);
}

class PolicySpread : public ScorePlugin {
 public:
  PolicySpread(const sim::NodeModel& model, std::int64_t max_cpu, std::int64_t max_memory, ClassId memory)
      : model_(model), max_cpu_(max_cpu > 0 ? max_cpu : 1), max_memory_(max_memory > 0 ? max_memory : 1),
        memory_(memory) {}
  std::string_view name() const override { return "PolicySpread"; }
  int score(const SearchContext&, const ProviderQuery&) const override { return 0; }

  std::optional<double> candidate_score(const SearchContext& ctx, const Candidate& c) const override {
    const Provider* root = ctx.state().provider(c.anchor);
    if (!root) return 0.0;
    return static_cast<double>(left(*root, memory_)) / static_cast<double>(max_memory_) +
           static_cast<double>(left(*root, model_.cpu)) / static_cast<double>(max_cpu_);
  }

 private:
  sim::NodeModel model_;
  std::int64_t max_cpu_;
  std::int64_t max_memory_;
  ClassId memory_;
};

}  // namespace

std::unique_ptr<ScorePlugin> make_policy_spread(const sim::NodeModel& model, std::int64_t max_cpu_milli,
                                                std::int64_t max_memory_mib, ClassId memory) {
  return std::make_unique<PolicySpread>(model, max_cpu_milli, max_memory_mib, memory);
}

}  // namespace vgpu::scheduler::search
