#include "scheduler/vgpu/data/default_catalog.hpp"

#include <array>

namespace vgpu::scheduler::vgpu {

namespace {

// The .inc files are CSV inside a raw string literal, so the data stays one profile per line
// and needs no build step.
constexpr std::string_view kBoards =
#include "scheduler/vgpu/data/default_boards.csv.inc"
    ;

constexpr std::string_view kProfiles =
#include "scheduler/vgpu/data/default_profiles.csv.inc"
    ;

}  // namespace

std::string_view default_boards_csv() { return kBoards; }
std::string_view default_profiles_csv() { return kProfiles; }

CatalogLayer default_catalog_layer() {
  return {{kDefaultBoardsSource, kBoards}, {kDefaultProfilesSource, kProfiles}};
}

std::optional<Catalog> default_catalog() {
  auto result = parse_catalog(default_catalog_layer().boards, default_catalog_layer().profiles);
  return std::move(result.catalog);
}

CatalogResult catalog_with_overrides(CatalogLayer overrides) {
  const std::array<CatalogLayer, 2> layers{default_catalog_layer(), overrides};
  return parse_catalog(layers);
}

}  // namespace vgpu::scheduler::vgpu
