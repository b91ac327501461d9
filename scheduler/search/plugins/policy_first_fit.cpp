// First-fit: every choice scores the same, so the search's own order decides: hosts by root id
// (the simulator creates them in name order), GPUs by provider id (index order), among those
// the filters (and the vGPU rules) allow.
#include "scheduler/search/plugins/policy_vgpu_plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

class PolicyFirstFit : public ScorePlugin {
 public:
  std::string_view name() const override { return "PolicyFirstFit"; }
  int score(const SearchContext&, const ProviderQuery&) const override { return 0; }
  std::optional<double> candidate_score(const SearchContext&, const Candidate&) const override {
    return 0.0;
  }
};

}  // namespace

std::unique_ptr<ScorePlugin> make_policy_first_fit() { return std::make_unique<PolicyFirstFit>(); }

}  // namespace vgpu::scheduler::search
