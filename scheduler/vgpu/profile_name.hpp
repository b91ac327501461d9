#pragma once
// NVIDIA vGPU profile (vGPU type) names and their Nova spellings. vgpu.md §1:
//   time-sliced  <GPU>-<GB><S>          A40-4Q, L4-24C, M60-0B (GB 0 = 512 MB)
//   MIG-backed   <GPU>-<g>-<GB><S>[ME]  A100-3-20C, H100-1-10CME
// GPU is the board code ([A-Z0-9]+, not the marketing name: A100 80GB is A100D), g is 1-9,
// GB has no leading zero, S is one of A, B, C, Q — the same grammar NVIDIA's
// vgpu-device-manager accepts.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "scheduler/vgpu/catalog.hpp"

namespace vgpu::scheduler::vgpu {

struct ProfileName {
  std::string board;             // "A40", "A100D"
  int compute_slices = 0;        // the g of a MIG-backed name; 0 for time-sliced
  int framebuffer_gb = 0;        // as written: 0 means 512 MB
  Series series = Series::Q;
  bool media_extension = false;  // the ME suffix (MIG `+me` GPU instance)

  bool is_mig() const { return compute_slices > 0; }
  // Nominal framebuffer the name promises (GB x 1024, or 512 for "0").
  std::int64_t framebuffer_mb() const;
  friend bool operator==(const ProfileName&, const ProfileName&) = default;
};

// Parses a name as written by NVIDIA, after trimming surrounding whitespace (a sysfs `name`
// file ends with a newline) and one "NVIDIA " or "GRID " prefix. nullopt when it is not a
// vGPU type name.
std::optional<ProfileName> parse_profile_name(std::string_view text);

// The canonical name: "A40-4Q", "A100-3-20CME".
std::string to_string(const ProfileName& name);

// Nova's spellings (operators' convention for one resource class and trait per type):
// upper case, '-' -> '_', prefixed. A40-4Q -> CUSTOM_NVIDIA_A40_4Q / CUSTOM_VGPU_A40_4Q.
inline constexpr std::string_view kNovaTraitPrefix = "CUSTOM_NVIDIA_";
inline constexpr std::string_view kNovaResourceClassPrefix = "CUSTOM_VGPU_";
std::string nova_trait(const ProfileName& name);
std::string nova_resource_class(const ProfileName& name);

// Back from Nova's spellings to the profile; nullopt for any other trait or class, or when
// what follows the prefix is not a profile name.
std::optional<ProfileName> profile_from_nova_trait(std::string_view trait);
std::optional<ProfileName> profile_from_nova_resource_class(std::string_view resource_class);

}  // namespace vgpu::scheduler::vgpu
