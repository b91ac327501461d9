#include "scheduler/sim/modes.hpp"

#include "scheduler/sim/fractional_mode.hpp"
#include "scheduler/sim/vgpu_mode.hpp"

namespace vgpu::scheduler::sim {

std::unique_ptr<Mode> make_mode(std::string_view name, std::string_view board) {
  if (name == "fractional") return std::make_unique<FractionalMode>();
  auto vgpu = [&](VgpuVariant v) { return std::make_unique<VgpuMode>(VgpuModeOptions{v, std::string(board)}); };
  if (name == "vgpu") return vgpu(VgpuVariant::equal_size);
  if (name == "vgpu-static") return vgpu(VgpuVariant::static_profiles);
  if (name == "vgpu-mig") return vgpu(VgpuVariant::mig);
  return nullptr;
}

std::vector<std::string> mode_names() { return {"fractional", "vgpu", "vgpu-static", "vgpu-mig"}; }

}  // namespace vgpu::scheduler::sim
