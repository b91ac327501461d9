// Host state (issue 4): a draining host is being emptied and takes no new VM; a standby host is
// asleep and takes one only when the request (or, by default, the configuration) allows waking
// it; it then ranks last (search.cpp orders awake hosts first). Decided once per tree, for any
// request: a VM without a vGPU would keep a draining host busy or wake a standby one too.
#include "scheduler/search/plugins/vgpu_plugins.hpp"
#include "scheduler/search/plugins/vgpu_request.hpp"

namespace vgpu::scheduler::search {
namespace {

class VgpuHostState final : public FilterPlugin {
 public:
  explicit VgpuHostState(const vgpu::VgpuConfig&) {}
  std::string_view name() const override { return "VgpuHostState"; }

  Status filter_anchor(const SearchContext& ctx, const Provider& root) const override {
    if (!ctx.vgpu()) return Status::success();
    const ManagedHost* host = ctx.state().managed_host_of_root(root.id);
    if (!host) return Status::success();
    if (host->state == vgpu::HostPowerState::draining) return Status::reject(vgpu_rule::kHostState);
    if (host->state == vgpu::HostPowerState::standby && !ctx.vgpu()->standby_allowed())
      return Status::reject(vgpu_rule::kHostState);
    return Status::success();
  }

  std::string anchor_detail(const SearchContext& ctx, const Provider& root,
                            const Status& status) const override {
    const ManagedHost* host = ctx.state().managed_host_of_root(root.id);
    if (!host) return std::string(status.reason);
    if (host->state == vgpu::HostPowerState::draining)
      return "host " + host->hostname + " is draining: it takes no new VMs";
    return "host " + host->hostname +
           " is in standby and the request does not allow waking a standby host";
  }
};

}  // namespace

std::unique_ptr<FilterPlugin> make_vgpu_host_state(const vgpu::VgpuConfig& config) {
  return std::make_unique<VgpuHostState>(config);
}

}  // namespace vgpu::scheduler::search
