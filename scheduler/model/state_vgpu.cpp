// The vGPU layer of State. PLACEHOLDER while the layer is being built (issue 4): nothing
// produces PutManagedHost / SetLicencePools yet, so the layer is always empty.
#include "scheduler/model/state.hpp"

namespace vgpu::scheduler {

const ManagedHost* State::managed_host(std::string_view) const { return nullptr; }
const ManagedHost* State::managed_host_of_root(ProviderId) const { return nullptr; }
const ManagedGpu* State::managed_gpu(ProviderId) const { return nullptr; }
std::vector<const ManagedHost*> State::managed_hosts() const { return {}; }
const LicencePools& State::licence_pools() const {
  static const LicencePools kNone{};
  return kNone;
}
void State::load_managed_host(ManagedHost, std::vector<ManagedGpu>) {}
void State::load_licence_pools(LicencePools) {}

}  // namespace vgpu::scheduler
