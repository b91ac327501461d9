#pragma once
// Small string helpers for query-parameter parsing, shared by the parameter parsers.
#include <string>
#include <string_view>
#include <vector>

namespace vgpu::api {

// Without leading and trailing spaces and tabs.
std::string strip(const std::string& s);
// Python's str.split(sep): "a,,b" -> {"a", "", "b"}; "" -> {""}.
std::vector<std::string> split(const std::string& s, char sep);
inline bool starts_with(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace vgpu::api
