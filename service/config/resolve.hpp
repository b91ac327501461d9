#pragma once
// Pure resolution of the configuration from its sources (no I/O, so it is unit-tested with plain
// values): defaults < file < environment < flags. load.hpp gathers the sources from the process.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "service/config/config.hpp"
#include "service/config/ini.hpp"

namespace vgpu::config {

// One value for one option, and where it came from, for error messages.
struct Setting {
  std::string key;
  std::string value;
  std::string origin;  // "file /etc/vgpu-placement.conf, line 3", "flag --workers"
};

struct Sources {
  std::vector<Setting> file;
  std::map<std::string, std::string> environment;  // the process environment, all of it
  std::vector<Setting> flags;
  // Facts the defaults depend on.
  bool is_root = false;
  unsigned hardware_threads = 1;
  std::string cwd = "/";  // relative data_dir values are taken from here
};

// The file layout: every option in the [DEFAULT] section (or before any section). Other
// sections, unknown keys and a key set twice are errors naming the file and line.
std::vector<Setting> settings_from_ini(const std::vector<IniEntry>& entries,
                                       std::string_view path);

// Throws ConfigError naming the option and the source of the bad value.
Config resolve(const Sources& sources);

}  // namespace vgpu::config
