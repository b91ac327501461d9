#include "service/config/resolve.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "service/config/options.hpp"

namespace vgpu::config {
namespace {

void apply(Config& config, const Setting& setting) {
  const OptionSpec* option = find_option(setting.key);
  if (option == nullptr) {
    throw ConfigError("configuration error: unknown option '" + setting.key + "' (" +
                      setting.origin + ")");
  }
  try {
    option->apply(config, setting.value);
  } catch (const std::invalid_argument& e) {
    throw ConfigError("configuration error: invalid value for option '" +
                      std::string(option->key) + "' (" + setting.origin + "): " + e.what());
  }
}

std::string env_value(const Sources& s, const std::string& name) {
  const auto it = s.environment.find(name);
  return it == s.environment.end() ? std::string() : it->second;
}

std::string default_data_dir(const Sources& s) {
  if (s.is_root) return "/var/lib/vgpu-placement";
  if (const auto xdg = env_value(s, "XDG_DATA_HOME"); !xdg.empty() && xdg.front() == '/') {
    return xdg + "/vgpu-placement";
  }
  if (const auto home = env_value(s, "HOME"); !home.empty()) {
    return home + "/.local/share/vgpu-placement";
  }
  throw ConfigError(
      "configuration error: option 'data_dir' has no default (HOME is not set); set it with "
      "--data-dir or " + env_name("data_dir"));
}

}  // namespace

std::vector<Setting> settings_from_ini(const std::vector<IniEntry>& entries,
                                       std::string_view path) {
  std::vector<Setting> settings;
  std::vector<int> lines;
  for (const auto& e : entries) {
    const std::string origin = "file " + std::string(path) + ", line " + std::to_string(e.line);
    if (e.section != "DEFAULT") {
      throw ConfigError("configuration error: section [" + e.section + "] (" + origin +
                        ") is not used; put every option under [DEFAULT]");
    }
    const OptionSpec* option = find_option(e.key);
    if (option == nullptr) {
      throw ConfigError("configuration error: unknown option '" + e.key + "' (" + origin + ")");
    }
    for (std::size_t i = 0; i < settings.size(); ++i) {
      if (settings[i].key == option->key) {
        throw ConfigError("configuration error: option '" + settings[i].key + "' is set twice (" +
                          origin + " and line " + std::to_string(lines[i]) + ")");
      }
    }
    settings.push_back({std::string(option->key), e.value, origin});
    lines.push_back(e.line);
  }
  return settings;
}

Config resolve(const Sources& sources) {
  Config config;
  // A worker runs a request start to finish, waiting on the database included (round trips,
  // the commit's fsync). With one worker per core only that many writes are ever in flight and
  // PostgreSQL cannot group their commits: 16 claim clients at 1,000 hosts on 2 cores gave
  // 1,760-2,020 claims/s with 2 workers, 2,540-2,590/s with 8 (bench/bench_driver.py, durable
  // cluster). Reads are CPU-bound and lose nothing to a few extra threads.
  config.workers = std::max(8u, 2 * sources.hardware_threads);

  std::vector<Setting> ordered = sources.file;
  for (const auto& option : option_table()) {
    const std::string name = env_name(option.key);
    // An empty variable counts as unset, as in `VGPU_PLACEMENT_LISTEN= vgpu-placement serve`.
    if (auto value = env_value(sources, name); !value.empty()) {
      ordered.push_back({std::string(option.key), std::move(value), "environment variable " + name});
    }
  }
  ordered.insert(ordered.end(), sources.flags.begin(), sources.flags.end());

  bool database_set = false;
  bool data_dir_set = false;
  for (const auto& setting : ordered) {
    apply(config, setting);
    const OptionSpec* option = find_option(setting.key);
    database_set = database_set || option->key == "database";
    data_dir_set = data_dir_set || option->key == "data_dir";
  }

  // Each weight was checked alone; together they must not all be 0 (nothing would rank).
  if (auto error = scheduler::vgpu::validate(config.vgpu.weights)) {
    throw ConfigError("configuration error: options 'vgpu_weight_packing', "
                      "'vgpu_weight_fragmentation', 'vgpu_weight_energy' and "
                      "'vgpu_weight_spread': " + *error);
  }

  if (!data_dir_set) config.data_dir = default_data_dir(sources);
  config.data_dir =
      (std::filesystem::path(sources.cwd) / config.data_dir).lexically_normal().string();
  if (config.data_dir.size() > 1 && config.data_dir.back() == '/') config.data_dir.pop_back();
  if (!database_set) config.database = "sqlite://" + config.data_dir + "/placement.db";
  return config;
}

}  // namespace vgpu::config
