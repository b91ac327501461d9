#include "service/config/vgpu_settings.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

#include "scheduler/vgpu/data/default_catalog.hpp"

namespace vgpu::config {
namespace {

namespace sv = scheduler::vgpu;

std::vector<std::pair<std::string, sv::ProfileIndex>> resolve_map(
    const sv::Catalog& catalog, const std::vector<std::pair<std::string, std::string>>& map,
    std::string_view option) {
  std::vector<std::pair<std::string, sv::ProfileIndex>> out;
  for (const auto& [name, profile] : map) {
    const auto index = catalog.find_profile(profile);
    if (!index) {
      throw ConfigError("configuration error: option '" + std::string(option) + "': profile '" +
                        profile + "' (for " + name + ") is not in the vGPU catalog");
    }
    out.emplace_back(name, *index);
  }
  return out;
}

std::string read_option_file(const std::string& path, std::string_view option) {
  if (path.empty()) return {};
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ConfigError("configuration error: option '" + std::string(option) + "': cannot read " +
                      path + ": " + std::generic_category().message(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::shared_ptr<const sv::VgpuConfig> build_vgpu_config(const VgpuOptions& options,
                                                        const sv::CatalogLayer& overrides) {
  sv::CatalogResult catalog = sv::catalog_with_overrides(overrides);
  if (!catalog.ok()) {
    std::string message = "configuration error: the vGPU catalog has errors:";
    for (const auto& e : catalog.errors) message += "\n  " + e.to_string();
    throw ConfigError(message);
  }
  auto config = std::make_shared<sv::VgpuConfig>();
  config->catalog = std::move(*catalog.catalog);
  config->names.resource_classes =
      resolve_map(config->catalog, options.resource_class_map, "vgpu_resource_class_map");
  config->names.traits = resolve_map(config->catalog, options.trait_map, "vgpu_trait_map");
  config->names.mdev_types =
      resolve_map(config->catalog, options.mdev_type_map, "vgpu_mdev_type_map");
  // The option table checked each value; checked again here because a VgpuConfig can also be
  // built from options assembled in code (tests, the simulator).
  if (auto error = sv::validate(options.weights)) {
    throw ConfigError("configuration error: vgpu_weight_*: " + *error);
  }
  config->weights = options.weights;
  config->licences = options.licences;
  config->request_mix.half_life_seconds = options.request_mix_half_life_seconds;
  if (auto error = sv::validate(config->request_mix)) {
    throw ConfigError("configuration error: option 'vgpu_request_mix_half_life': " + *error);
  }
  config->wake_standby_hosts = options.wake_standby_hosts;
  return config;
}

std::shared_ptr<const sv::VgpuConfig> load_vgpu_config(const VgpuOptions& options) {
  const std::string boards = read_option_file(options.boards_file, "vgpu_boards_file");
  const std::string profiles = read_option_file(options.profiles_file, "vgpu_profiles_file");
  return build_vgpu_config(options, {{options.boards_file, boards},
                                     {options.profiles_file, profiles}});
}

}  // namespace vgpu::config
