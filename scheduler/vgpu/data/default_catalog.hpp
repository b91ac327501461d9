#pragma once
// The catalog shipped inside the binary (data files next to this header, compiled in by
// scheduler/vgpu/default_catalog.cpp), and operator overrides on top of it.
#include <optional>
#include <string_view>

#include "scheduler/vgpu/catalog.hpp"
#include "scheduler/vgpu/catalog_csv.hpp"

namespace vgpu::scheduler::vgpu {

// Source names in messages: the files the text comes from (their line numbers match).
inline constexpr std::string_view kDefaultBoardsSource =
    "scheduler/vgpu/data/default_boards.csv.inc";
inline constexpr std::string_view kDefaultProfilesSource =
    "scheduler/vgpu/data/default_profiles.csv.inc";

std::string_view default_boards_csv();
std::string_view default_profiles_csv();
CatalogLayer default_catalog_layer();

// The shipped catalog, parsed. Never nullopt in a released binary (a unit test parses it);
// optional so that a broken build degrades into an error message, not a crash.
std::optional<Catalog> default_catalog();

// The shipped catalog with an operator's boards and/or profiles file over it: same name
// replaces the shipped row, a new name adds one (catalog_csv.hpp). Either text may be empty.
CatalogResult catalog_with_overrides(CatalogLayer overrides);

}  // namespace vgpu::scheduler::vgpu
