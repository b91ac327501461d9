// Several slots may take the same class from the same provider (two groups asking for VCPU,
// group_policy=none): the sum must fit too. Like upstream's exceeds_capacity, the sum is held
// to capacity and max_unit; min_unit and step_size apply to each group's own amount.
#include "scheduler/search/plugins/plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

class CombinedCapacity final : public PermitPlugin {
 public:
  std::string_view name() const override { return "CombinedCapacity"; }
  Status permit(const SearchContext& ctx, const PartialCandidate& partial, std::size_t slot,
                const Provider& p) const override {
    for (const ResourceAmount& r : ctx.slots()[slot].resources) {
      const std::int64_t before = partial.taken(ctx, p.id, r.resource_class);
      if (before == 0) continue;  // CapacityFit already checked the amount alone
      const Inventory* inv = p.inventories.find(r.resource_class);
      if (!inv) return Status::reject("no inventory");
      const std::int64_t* used = p.usage.find(r.resource_class);
      const std::int64_t total = before + r.amount;
      if ((used ? *used : 0) + total > inv->capacity())
        return Status::reject("groups together exceed the capacity");
      if (total > inv->max_unit) return Status::reject("groups together exceed max_unit");
    }
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<PermitPlugin> make_combined_capacity() {
  return std::make_unique<CombinedCapacity>();
}

}  // namespace vgpu::scheduler::search
