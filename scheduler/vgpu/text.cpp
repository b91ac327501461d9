#include "scheduler/vgpu/text.hpp"

#include <charconv>

namespace vgpu::scheduler::vgpu {

std::string number_text(double v) {
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

std::string_view mode_phrase(GpuMode mode) {
  switch (mode) {
    case GpuMode::equal_size: return "equal-size mode";
    case GpuMode::mixed_size: return "mixed-size mode";
    case GpuMode::mig: return "MIG mode";
  }
  return "?";
}

}  // namespace vgpu::scheduler::vgpu
