// Random: the FGD paper's baseline. The authors' RandomScore gives one node, drawn uniformly
// among those that pass the filters, the top score; a uniform draw per host, highest first, is
// the same choice. Their GPU selection for it is random too.
#include "scheduler/search/plugins/policy_common.hpp"
#include "scheduler/search/plugins/policy_plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

class PolicyRandom : public ScorePlugin {
 public:
  PolicyRandom(const sim::NodeModel& model, std::uint64_t seed) : model_(model), rng_(seed) {}
  std::string_view name() const override { return "PolicyRandom"; }

  int score(const SearchContext& ctx, const ProviderQuery& q) const override {
    sim::PodAsk ask;
    if (!policy::is_shared_gpu_slot(ctx, q, model_, ask)) return 0;
    return static_cast<int>(rng_() >> 34);  // uniform over 0 .. 2^30 - 1
  }
  std::optional<double> candidate_score(const SearchContext&, const Candidate&) const override {
    return policy::tie_break(rng_);
  }

 private:
  sim::NodeModel model_;
  mutable std::mt19937_64 rng_;
};

}  // namespace

std::unique_ptr<ScorePlugin> make_policy_random(const sim::NodeModel& model, std::uint64_t seed) {
  return std::make_unique<PolicyRandom>(model, seed);
}

}  // namespace vgpu::scheduler::search
