// Packing: prefer the provider that is fullest after taking the request, so that empty
// providers stay empty (Kubernetes' MostAllocated). Score = mean over the slot's classes of
// (used + amount) / capacity, in 0..100. A resourceless slot scores 0.
#include <algorithm>

#include "scheduler/search/plugins/plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

class MostAllocated final : public ScorePlugin {
 public:
  std::string_view name() const override { return "MostAllocated"; }
  int score(const SearchContext&, const ProviderQuery& q) const override {
    if (q.slot.resources.empty()) return 0;
    std::int64_t sum = 0;
    for (const ResourceAmount& r : q.slot.resources) {
      const Inventory* inv = q.provider.inventories.find(r.resource_class);
      const std::int64_t cap = inv ? inv->capacity() : 0;
      if (cap <= 0) continue;
      const std::int64_t* used = q.provider.usage.find(r.resource_class);
      const double share = static_cast<double>((used ? *used : 0) + r.amount) / static_cast<double>(cap);
      sum += static_cast<std::int64_t>(std::clamp(share, 0.0, 1.0) * 100.0);
    }
    return static_cast<int>(sum / static_cast<std::int64_t>(q.slot.resources.size()));
  }
};

}  // namespace

std::unique_ptr<ScorePlugin> make_most_allocated() { return std::make_unique<MostAllocated>(); }

}  // namespace vgpu::scheduler::search
