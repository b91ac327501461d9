#include "api/microversion.hpp"

#include <cctype>
#include <vector>

namespace vgpu::api {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 6) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

ParsedVersion parse_version_header(const std::string* header, const VersionRange& range) {
  ParsedVersion out;
  out.version = range.min;
  if (!header) return out;
  // The header may name several services: "placement 1.2, compute 2.1".
  std::string_view rest = *header;
  std::optional<std::string_view> mine;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view item = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const auto space = item.find(' ');
    if (space == std::string_view::npos) continue;
    std::string service(item.substr(0, space));
    for (auto& c : service) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (service == "placement") mine = trim(item.substr(space + 1));
  }
  if (!mine) return out;
  out.text = std::string(*mine);
  if (*mine == "latest") {
    out.version = range.max;
    return out;
  }
  const auto dot = mine->find('.');
  if (dot == std::string_view::npos || !all_digits(mine->substr(0, dot)) ||
      !all_digits(mine->substr(dot + 1))) {
    out.result = VersionParse::kBadFormat;
    return out;
  }
  out.version = Version{std::stoi(std::string(mine->substr(0, dot))),
                        std::stoi(std::string(mine->substr(dot + 1)))};
  if (out.version < range.min || out.version > range.max) out.result = VersionParse::kOutOfRange;
  return out;
}

}  // namespace vgpu::api
