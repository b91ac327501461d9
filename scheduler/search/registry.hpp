#pragma once
// Plugins by name, so that a profile is configuration: a list of filter and permit names and
// weighted score names. Unknown names and bad weights are refused when the profile is built,
// with a message naming the field.
#include <string>
#include <utility>
#include <vector>

#include "scheduler/search/plugin.hpp"

namespace vgpu::scheduler::search {

struct ProfileConfig {
  std::vector<std::string> filters;
  std::vector<std::string> permits;
  std::vector<std::pair<std::string, int>> scores;  // name, weight (1..100)
};

// The plain Placement rules, and most-allocated packing.
ProfileConfig default_profile_config();
// Throws std::invalid_argument for an unknown plugin name or a weight outside 1..100.
Profile build_profile(const ProfileConfig& config);

}  // namespace vgpu::scheduler::search
