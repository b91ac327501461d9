#pragma once
// The standard resource classes (os-resource-classes 1.1.0) and traits (os-traits 2.9.0) that
// every Placement deployment knows. Resource class ids are the list positions, as upstream.
#include <string>
#include <string_view>
#include <vector>

namespace vgpu::scheduler {

const std::vector<std::string_view>& standard_resource_classes();
const std::vector<std::string_view>& standard_traits();

// CUSTOM_ followed by one or more of A-Z, 0-9, _ ; at most 255 characters in all.
bool is_valid_custom_name(std::string_view name);

}  // namespace vgpu::scheduler
