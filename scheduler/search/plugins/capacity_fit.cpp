// Each requested amount must fit on the provider by itself: capacity left after usage,
// min_unit <= amount <= max_unit, amount a multiple of step_size.
#include "scheduler/query/provider_filter.hpp"
#include "scheduler/search/plugins/plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

class CapacityFit final : public FilterPlugin {
 public:
  std::string_view name() const override { return "CapacityFit"; }
  Status filter(const SearchContext&, const ProviderQuery& q) const override {
    for (const ResourceAmount& r : q.slot.resources)
      if (!can_fit(q.provider, r.resource_class, r.amount))
        return Status::reject("insufficient capacity or outside the unit rules");
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<FilterPlugin> make_capacity_fit() { return std::make_unique<CapacityFit>(); }

}  // namespace vgpu::scheduler::search
