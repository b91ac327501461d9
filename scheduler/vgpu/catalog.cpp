#include "scheduler/vgpu/catalog.hpp"

#include <algorithm>
#include <utility>

namespace vgpu::scheduler::vgpu {

namespace {

// Sorted (name, position) pairs: lookups by name without a map per catalog. On a duplicate name
// (the parser refuses them, a hand-built catalog might not) the first position wins.
template <typename T>
std::vector<std::pair<std::string, std::int32_t>> name_index(const std::vector<T>& items) {
  std::vector<std::pair<std::string, std::int32_t>> index;
  index.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    index.emplace_back(items[i].name, static_cast<std::int32_t>(i));
  }
  std::stable_sort(index.begin(), index.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return index;
}

std::optional<std::int32_t> find_in(
    const std::vector<std::pair<std::string, std::int32_t>>& index, std::string_view name) {
  const auto it = std::lower_bound(
      index.begin(), index.end(), name,
      [](const auto& entry, std::string_view key) { return std::string_view(entry.first) < key; });
  if (it == index.end() || it->first != name) return std::nullopt;
  return it->second;
}

}  // namespace

Catalog::Catalog(std::vector<Board> boards, std::vector<Profile> profiles)
    : boards_(std::move(boards)),
      profiles_(std::move(profiles)),
      board_index_(name_index(boards_)),
      profile_index_(name_index(profiles_)) {}

std::optional<BoardIndex> Catalog::find_board(std::string_view name) const {
  return find_in(board_index_, name);
}

std::optional<ProfileIndex> Catalog::find_profile(std::string_view name) const {
  return find_in(profile_index_, name);
}

std::vector<ProfileIndex> Catalog::profiles_of(BoardIndex board) const {
  std::vector<ProfileIndex> out;
  for (std::size_t i = 0; i < profiles_.size(); ++i) {
    if (profiles_[i].board == board) out.push_back(static_cast<ProfileIndex>(i));
  }
  return out;
}

std::string_view to_string(Series series) {
  switch (series) {
    case Series::A: return "A";
    case Series::B: return "B";
    case Series::C: return "C";
    case Series::Q: return "Q";
  }
  return "?";
}

std::string_view to_string(Edition edition) {
  switch (edition) {
    case Edition::rtx_vws: return "rtx_vws";
    case Edition::vpc: return "vpc";
    case Edition::vapps: return "vapps";
    case Edition::ai_enterprise: return "ai_enterprise";
  }
  return "?";
}

std::string_view to_string(GpuMode mode) {
  switch (mode) {
    case GpuMode::equal_size: return "equal_size";
    case GpuMode::mixed_size: return "mixed_size";
    case GpuMode::mig: return "mig";
  }
  return "?";
}

std::optional<Edition> edition_from_string(std::string_view text) {
  for (const Edition e : {Edition::rtx_vws, Edition::vpc, Edition::vapps, Edition::ai_enterprise}) {
    if (to_string(e) == text) return e;
  }
  return std::nullopt;
}

std::optional<GpuMode> gpu_mode_from_string(std::string_view text) {
  for (const GpuMode m : {GpuMode::equal_size, GpuMode::mixed_size, GpuMode::mig}) {
    if (to_string(m) == text) return m;
  }
  return std::nullopt;
}

// vgpu.md §1: the series letter decides the edition a running vGPU leases. (A vWS seat may also
// satisfy B, and before vGPU 17 C: that borrowing is the licence pools' policy, not the catalog's.)
Edition edition_of(Series series) {
  switch (series) {
    case Series::Q: return Edition::rtx_vws;
    case Series::B: return Edition::vpc;
    case Series::A: return Edition::vapps;
    case Series::C: return Edition::ai_enterprise;
  }
  return Edition::rtx_vws;
}

}  // namespace vgpu::scheduler::vgpu
