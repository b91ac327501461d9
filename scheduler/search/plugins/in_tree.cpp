// in_tree: the provider must belong to the named tree. The unnumbered group then takes nothing
// from sharing providers outside the anchor's tree (upstream skips them when in_tree is given);
// a numbered group's sharing provider is judged by its own tree.
#include "scheduler/search/plugins/plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

class InTree final : public FilterPlugin {
 public:
  std::string_view name() const override { return "InTree"; }
  Status filter(const SearchContext&, const ProviderQuery& q) const override {
    if (!q.group.in_tree_root) return Status::success();
    if (q.provider.root != *q.group.in_tree_root) return Status::reject("not in the requested tree");
    if (!q.group.same_provider && q.shared) return Status::reject("sharing excluded by in_tree");
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<FilterPlugin> make_in_tree() { return std::make_unique<InTree>(); }

}  // namespace vgpu::scheduler::search
