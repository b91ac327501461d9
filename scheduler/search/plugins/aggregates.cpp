// member_of. A numbered group's provider must be in the aggregates itself. For the unnumbered
// group an aggregate on the root spans the whole tree: the provider or the anchor's root must
// satisfy member_of, and neither may be in a forbidden aggregate (upstream's
// filter_by_rp_or_tree / filter_by_rp_nor_tree), and a sharing provider must be in them itself.
#include "scheduler/query/provider_filter.hpp"
#include "scheduler/search/plugins/plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

class Aggregates final : public FilterPlugin {
 public:
  std::string_view name() const override { return "Aggregates"; }
  Status filter(const SearchContext&, const ProviderQuery& q) const override {
    const AggregateRule& rule = q.group.aggregates;
    if (rule.empty()) return Status::success();
    if (q.group.same_provider) {
      if (!satisfies(q.provider, rule)) return Status::reject("aggregates do not match");
      return Status::success();
    }
    const AggregateRule positive{rule.member_of_any, {}};
    // A sharing provider from outside the tree must be in the aggregates itself
    // (upstream's get_rps_with_shared_capacity); the anchor's membership does not carry it.
    if (q.shared && !satisfies(q.provider, positive))
      return Status::reject("sharing provider not in the aggregates");
    if (!satisfies(q.provider, positive) && !satisfies(q.anchor, positive))
      return Status::reject("neither the provider nor its root is in the aggregates");
    for (const Uuid& a : rule.forbidden)
      if (q.provider.in_aggregate(a) || q.anchor.in_aggregate(a))
        return Status::reject("the provider or its root is in a forbidden aggregate");
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<FilterPlugin> make_aggregates() { return std::make_unique<Aggregates>(); }

}  // namespace vgpu::scheduler::search
