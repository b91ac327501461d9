#pragma once
// A small INI reader, enough for OpenStack-style files:
//   [section]          a section header
//   key = value        whitespace around key and value is trimmed; the value is taken verbatim
//                      (no inline comments: '#' may be part of a password in a database URL)
//   # or ; comment     whole-line comments; blank lines are ignored
// Entries before any section header belong to DEFAULT.
#include <string>
#include <string_view>
#include <vector>

namespace vgpu::config {

struct IniEntry {
  std::string section;
  std::string key;
  std::string value;
  int line = 0;
};

// Throws ConfigError naming `path` and the line for anything else.
std::vector<IniEntry> parse_ini(std::string_view text, std::string_view path);

}  // namespace vgpu::config
