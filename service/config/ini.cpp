#include "service/config/ini.hpp"

#include "service/config/config.hpp"

namespace vgpu::config {
namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

}  // namespace

std::vector<IniEntry> parse_ini(std::string_view text, std::string_view path) {
  std::vector<IniEntry> entries;
  std::string section = "DEFAULT";
  int line_no = 0;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    const std::string_view raw = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    ++line_no;
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    const auto where = [&] { return std::string(path) + ", line " + std::to_string(line_no); };
    if (line.front() == '[') {
      if (line.back() != ']' || trim(line.substr(1, line.size() - 2)).empty()) {
        throw ConfigError("configuration error in " + where() + ": malformed section header '" +
                          std::string(line) + "'");
      }
      section = std::string(trim(line.substr(1, line.size() - 2)));
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string_view::npos || trim(line.substr(0, eq)).empty()) {
      throw ConfigError("configuration error in " + where() + ": expected 'key = value', got '" +
                        std::string(line) + "'");
    }
    entries.push_back({section, std::string(trim(line.substr(0, eq))),
                       std::string(trim(line.substr(eq + 1))), line_no});
  }
  return entries;
}

}  // namespace vgpu::config
