#include "scheduler/sim/modes.hpp"

#include "scheduler/sim/fractional_mode.hpp"

namespace vgpu::scheduler::sim {

std::unique_ptr<Mode> make_mode(std::string_view name) {
  if (name == "fractional") return std::make_unique<FractionalMode>();
  return nullptr;
}

std::vector<std::string> mode_names() { return {"fractional"}; }

}  // namespace vgpu::scheduler::sim
