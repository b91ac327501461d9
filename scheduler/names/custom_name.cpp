#include "scheduler/names/standard_names.hpp"

namespace vgpu::scheduler {

bool is_valid_custom_name(std::string_view name) {
  constexpr std::string_view kPrefix = "CUSTOM_";
  if (name.size() <= kPrefix.size() || name.size() > 255) return false;
  if (name.substr(0, kPrefix.size()) != kPrefix) return false;
  for (char c : name.substr(kPrefix.size())) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace vgpu::scheduler
