#include "scheduler/vgpu/name_resolver.hpp"

#include "scheduler/vgpu/profile_name.hpp"

namespace vgpu::scheduler::vgpu {
namespace {

std::unordered_map<std::string, ProfileIndex> index(
    const std::vector<std::pair<std::string, ProfileIndex>>& pairs) {
  std::unordered_map<std::string, ProfileIndex> out;
  for (const auto& [name, profile] : pairs) out.emplace(name, profile);  // first one wins
  return out;
}

bool valid(const Catalog& catalog, ProfileIndex p) {
  return p >= 0 && static_cast<std::size_t>(p) < catalog.profiles().size();
}

std::optional<ProfileIndex> mapped(const std::unordered_map<std::string, ProfileIndex>& map,
                                   std::string_view name) {
  auto it = map.find(std::string(name));
  if (it == map.end()) return std::nullopt;
  return it->second;
}

}  // namespace

NameResolver::NameResolver(const VgpuConfig& config, const NameRegistry<ClassId>& classes,
                           const NameRegistry<TraitId>& traits)
    : config_(config),
      classes_(classes),
      traits_(traits),
      vgpu_class_(classes.id_of(kVgpuClassName)),
      mapped_classes_(index(config.names.resource_classes)),
      mapped_traits_(index(config.names.traits)),
      mapped_mdev_types_(index(config.names.mdev_types)) {}

std::optional<ProfileIndex> NameResolver::profile_named(std::string_view name) const {
  const auto parsed = parse_profile_name(name);
  if (!parsed) return std::nullopt;
  return config_.catalog.find_profile(to_string(*parsed));
}

std::optional<ProfileIndex> NameResolver::profile_of_class_name(std::string_view name) const {
  if (auto p = mapped(mapped_classes_, name); p && valid(config_.catalog, *p)) return p;
  const auto parsed = profile_from_nova_resource_class(name);
  if (!parsed) return std::nullopt;
  return config_.catalog.find_profile(to_string(*parsed));
}

std::optional<ProfileIndex> NameResolver::profile_of_trait_name(std::string_view name) const {
  if (auto p = mapped(mapped_traits_, name); p && valid(config_.catalog, *p)) return p;
  const auto parsed = profile_from_nova_trait(name);
  if (!parsed) return std::nullopt;
  return config_.catalog.find_profile(to_string(*parsed));
}

std::optional<ProfileIndex> NameResolver::profile_of_class(ClassId id) const {
  if (id < kFirstCustomClassId) return std::nullopt;  // standard classes name no profile
  const std::string* name = classes_.name_of(id);
  return name ? profile_of_class_name(*name) : std::nullopt;
}

std::optional<ProfileIndex> NameResolver::profile_of_trait(TraitId id) const {
  const std::string* name = traits_.name_of(id);
  if (!name || name->rfind("CUSTOM_", 0) != 0) return std::nullopt;
  return profile_of_trait_name(*name);
}

std::optional<ProfileIndex> NameResolver::profile_of_mdev_type(std::string_view type) const {
  if (auto p = mapped(mapped_mdev_types_, type); p && valid(config_.catalog, *p)) return p;
  return profile_named(type);
}

namespace {

std::optional<std::string> first_mapped(
    const std::vector<std::pair<std::string, ProfileIndex>>& pairs, ProfileIndex profile) {
  for (const auto& [name, p] : pairs)
    if (p == profile) return name;
  return std::nullopt;
}

}  // namespace

std::string resource_class_for(const VgpuConfig& config, ProfileIndex profile) {
  if (auto name = first_mapped(config.names.resource_classes, profile)) return *name;
  const auto parsed = parse_profile_name(config.catalog.profile(profile).name);
  return parsed ? nova_resource_class(*parsed) : std::string();
}

std::string trait_for(const VgpuConfig& config, ProfileIndex profile) {
  if (auto name = first_mapped(config.names.traits, profile)) return *name;
  const auto parsed = parse_profile_name(config.catalog.profile(profile).name);
  return parsed ? nova_trait(*parsed) : std::string();
}

}  // namespace vgpu::scheduler::vgpu
