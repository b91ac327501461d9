// root_required: traits the root of the candidate's tree (its anchor) must (not) carry.
#include "scheduler/query/provider_filter.hpp"
#include "scheduler/search/plugins/plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

class RootRequired final : public FilterPlugin {
 public:
  std::string_view name() const override { return "RootRequired"; }
  Status filter_anchor(const SearchContext& ctx, const Provider& root) const override {
    if (!satisfies(root, ctx.request().root_required))
      return Status::reject("root traits do not match root_required");
    return Status::success();
  }
};

}  // namespace

std::unique_ptr<FilterPlugin> make_root_required() { return std::make_unique<RootRequired>(); }

}  // namespace vgpu::scheduler::search
