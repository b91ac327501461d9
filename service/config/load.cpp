#include "service/config/load.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

#include "service/config/ini.hpp"
#include "service/config/resolve.hpp"

extern char** environ;

namespace vgpu::config {
namespace {

std::map<std::string, std::string> read_environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string_view::npos) env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return env;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ConfigError("configuration error: cannot read configuration file " + path + ": " +
                      std::generic_category().message(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Config load_config(const CommandLine& command_line) {
  Sources sources;
  sources.environment = read_environment();
  sources.flags = command_line.settings;
  sources.is_root = ::geteuid() == 0;
  sources.hardware_threads = std::thread::hardware_concurrency();
  std::error_code ec;
  sources.cwd = std::filesystem::current_path(ec).string();
  if (ec) sources.cwd = "/";

  std::string path;
  if (command_line.config_path) {
    path = *command_line.config_path;
  } else if (const auto it = sources.environment.find("VGPU_PLACEMENT_CONFIG");
             it != sources.environment.end()) {
    path = it->second;
  }
  if (!path.empty()) sources.file = settings_from_ini(parse_ini(read_file(path), path), path);
  return resolve(sources);
}

}  // namespace vgpu::config
