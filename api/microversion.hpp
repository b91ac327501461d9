#pragma once
// Placement microversions: the one list of versions we serve, parsing of the
// "OpenStack-API-Version: placement X.Y" header, and the named capabilities handlers test.
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace vgpu::api {

struct Version {
  int major = 1;
  int minor = 0;
  friend auto operator<=>(const Version&, const Version&) = default;
  std::string str() const { return std::to_string(major) + "." + std::to_string(minor); }
};

// What each minor version added (upstream's list; we implement a prefix of it):
//  1.1 provider aggregates           1.2 custom resource classes     1.3 member_of on providers
//  1.4 resources filter on providers 1.5 DELETE all inventories      1.6 traits
//  1.7 PUT /resource_classes/{name} create-or-validate
//  1.8 project/user on PUT allocations  1.9 GET /usages  1.10 allocation candidates
//  1.11 allocations link  1.12 dict allocations  1.13 POST /allocations
//  1.14 nested providers, in_tree      1.15 last-modified/cache-control
//  1.16 limit  1.17 required on candidates  1.18 required on providers
//  1.19 aggregates generation          1.20 POST provider returns body
//  1.21 member_of in: on candidates    1.22 forbidden traits          1.23 error codes
//  1.24 repeated member_of             1.25 granular groups  1.26 reserved may equal total
//  1.27 all inventories in summaries   1.28 consumer generations  1.29 nested candidates
//  1.30 reshaper  1.31 in_tree on candidates  1.32 forbidden aggregates
//  1.33 string group suffixes  1.34 mappings  1.35 root_required  1.36 same_subtree
//  1.37 re-parenting  1.38 consumer types  1.39 any-of traits (in:) in required
inline constexpr Version kMinVersion{1, 0};
inline constexpr Version kMaxSupportedVersion{1, 39};  // the newest upstream version we know

struct VersionRange {
  Version min = kMinVersion;
  Version max = kMinVersion;
};

enum class VersionParse { kOk, kBadFormat, kOutOfRange };

struct ParsedVersion {
  VersionParse result = VersionParse::kOk;
  Version version;
  std::string text;  // what the client sent, for messages
};

// Picks the version from the request's headers value (nullptr = header absent -> minimum).
// `latest` -> range.max. Only the "placement" service entry counts.
ParsedVersion parse_version_header(const std::string* header, const VersionRange& range);

}  // namespace vgpu::api
