#pragma once
// Small pieces of wording shared by the vGPU messages (refusal details, validation errors), so
// that every message spells numbers and modes the same way.
#include <string>
#include <string_view>

#include "scheduler/vgpu/catalog.hpp"

namespace vgpu::scheduler::vgpu {

// Shortest text that reads back as the same double: "60", "-1", "0.5", "nan".
std::string number_text(double v);

// "equal-size mode", "mixed-size mode", "MIG mode".
std::string_view mode_phrase(GpuMode mode);

}  // namespace vgpu::scheduler::vgpu
