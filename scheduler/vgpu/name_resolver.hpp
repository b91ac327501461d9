#pragma once
// Nova's names for vGPU profiles, resolved against the running catalog (vgpu_config.hpp,
// profile_name.hpp): a resource class CUSTOM_VGPU_<P> or one the operator mapped, a trait
// CUSTOM_NVIDIA_<P> or mapped, the class VGPU (a vGPU whose profile the class does not say),
// an mdev type id ("nvidia-558"). Operator mappings win over the conventions.
//
// Built per request (or per claim) from the snapshot's class and trait registries: the
// constructor only indexes the operator's (usually empty) mappings and finds VGPU; every lookup
// then costs one registry lookup and, for a CUSTOM_ name, one name parse. Nothing scans the
// registries. Holds references: the config and registries must outlive it (a snapshot does).
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "scheduler/model/ids.hpp"
#include "scheduler/model/name_registry.hpp"
#include "scheduler/vgpu/catalog.hpp"
#include "scheduler/vgpu/vgpu_config.hpp"

namespace vgpu::scheduler::vgpu {

inline constexpr std::string_view kVgpuClassName = "VGPU";

class NameResolver {
 public:
  NameResolver(const VgpuConfig& config, const NameRegistry<ClassId>& classes,
               const NameRegistry<TraitId>& traits);

  // The profile a resource class names; nullopt for VGPU and every other class, and for a
  // CUSTOM_VGPU_<P> whose P is not in the catalog.
  std::optional<ProfileIndex> profile_of_class(ClassId id) const;
  std::optional<ProfileIndex> profile_of_class_name(std::string_view name) const;
  // The profile a trait names (CUSTOM_NVIDIA_<P> or mapped); nullopt otherwise.
  std::optional<ProfileIndex> profile_of_trait(TraitId id) const;
  std::optional<ProfileIndex> profile_of_trait_name(std::string_view name) const;
  // Whether the class is Nova's generic VGPU, and its id when the registry has it.
  bool is_vgpu_class(ClassId id) const { return vgpu_class_ && *vgpu_class_ == id; }
  std::optional<ClassId> vgpu_class() const { return vgpu_class_; }
  // Whether the class means vGPUs at all (names a profile, or is VGPU).
  bool is_vgpu_related(ClassId id) const { return is_vgpu_class(id) || profile_of_class(id); }
  // An mdev type id (mapped), or a name as sysfs writes it ("NVIDIA A40-4Q", "GRID ...").
  std::optional<ProfileIndex> profile_of_mdev_type(std::string_view type) const;

  const Catalog& catalog() const { return config_.catalog; }

 private:
  std::optional<ProfileIndex> profile_named(std::string_view name) const;  // "A40-4Q"

  const VgpuConfig& config_;
  const NameRegistry<ClassId>& classes_;
  const NameRegistry<TraitId>& traits_;
  std::optional<ClassId> vgpu_class_;
  std::unordered_map<std::string, ProfileIndex> mapped_classes_;
  std::unordered_map<std::string, ProfileIndex> mapped_traits_;
  std::unordered_map<std::string, ProfileIndex> mapped_mdev_types_;
};

// The names a host tree uses for a profile (host_tree.hpp): the operator's mapped name when
// there is one (the first, in configuration order), else Nova's convention.
std::string resource_class_for(const VgpuConfig& config, ProfileIndex profile);
std::string trait_for(const VgpuConfig& config, ProfileIndex profile);

}  // namespace vgpu::scheduler::vgpu
