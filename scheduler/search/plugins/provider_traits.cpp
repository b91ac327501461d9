// Traits of one provider. A numbered group's provider must carry the required traits itself.
// The unnumbered group's providers need them only collectively (GroupTraits checks that when
// the group is complete), so here they are only checked for forbidden traits, as upstream.
#include "scheduler/query/provider_filter.hpp"
#include "scheduler/search/plugins/plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

class ProviderTraits final : public FilterPlugin {
 public:
  std::string_view name() const override { return "ProviderTraits"; }
  Status filter(const SearchContext&, const ProviderQuery& q) const override {
    if (q.group.same_provider) {
      if (!satisfies(q.provider, q.group.traits)) return Status::reject("traits do not match");
      return Status::success();
    }
    for (TraitId t : q.group.traits.forbidden)
      if (q.provider.has_trait(t)) return Status::reject("has a forbidden trait");
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<FilterPlugin> make_provider_traits() { return std::make_unique<ProviderTraits>(); }

}  // namespace vgpu::scheduler::search
