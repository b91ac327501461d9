#include "scheduler/vgpu/placement_rules.hpp"
#include "scheduler/vgpu/text.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

namespace vgpu::scheduler::vgpu {

namespace {

std::string num(std::int64_t v) { return std::to_string(v); }

// ---------------------------------------------------------------------------------------------
// Sentences

// "0-3, 9-11, 20": positions as runs.
std::string ranges(const std::vector<int>& positions) {
  std::string out;
  for (std::size_t i = 0; i < positions.size();) {
    std::size_t j = i;
    while (j + 1 < positions.size() && positions[j + 1] == positions[j] + 1) ++j;
    if (!out.empty()) out += ", ";
    out += num(positions[i]);
    if (j > i) {
      out += '-';  // not "-" + num(...): GCC 12 warns about that (-Wrestrict false positive)
      out += num(positions[j]);
    }
    i = j + 1;
  }
  return out.empty() ? "none" : out;
}

// "0, 8, ..., 40" for long even steps, else every value.
std::string start_list(const std::vector<int>& starts) {
  const std::size_t n = starts.size();
  bool even = n >= 5;
  for (std::size_t i = 2; even && i < n; ++i) {
    even = starts[i] - starts[i - 1] == starts[1] - starts[0];
  }
  if (even) return num(starts[0]) + ", " + num(starts[1]) + ", ..., " + num(starts[n - 1]);
  std::string out;
  for (const int s : starts) out += (out.empty() ? "" : ", ") + num(s);
  return out;
}


std::string_view rule_of(GpuMode mode) {
  switch (mode) {
    case GpuMode::equal_size: return rule::kEqualSize;
    case GpuMode::mixed_size: return rule::kMixedSize;
    case GpuMode::mig: return rule::kMig;
  }
  return rule::kMode;
}

// What one position on the axis is called.
std::string unit(GpuMode mode, int n) {
  const bool one = n == 1;
  if (mode == GpuMode::mig) return one ? "memory slice" : "memory slices";
  return one ? "slot" : "slots";
}

Fit refuse(std::string_view rule_name, std::string detail) {
  return Fit{false, rule_name, std::move(detail), {}};
}

// ---------------------------------------------------------------------------------------------
// Profiles in a mode

bool in_catalog(const Catalog& catalog, ProfileIndex p) {
  return p >= 0 && static_cast<std::size_t>(p) < catalog.profiles().size();
}

bool offered_in(const Profile& p, GpuMode mode) {
  switch (mode) {
    case GpuMode::equal_size: return !p.is_mig() && p.max_equal_size > 0;
    case GpuMode::mixed_size: return !p.is_mig() && p.max_mixed_size > 0 && p.mixed_placement;
    case GpuMode::mig: return p.is_mig() && p.max_mig > 0 && p.mig_placement;
  }
  return false;
}

int max_in(const Profile& p, GpuMode mode) {
  switch (mode) {
    case GpuMode::equal_size: return p.max_equal_size;
    case GpuMode::mixed_size: return p.max_mixed_size;
    case GpuMode::mig: return p.max_mig;
  }
  return 0;
}

// The placement on the GPU's axis; nullptr in equal-size mode or when not offered in the mode.
const SlotPlacement* placement_in(const Profile& p, GpuMode mode) {
  if (!offered_in(p, mode)) return nullptr;
  if (mode == GpuMode::mixed_size) return &*p.mixed_placement;
  if (mode == GpuMode::mig) return &*p.mig_placement;
  return nullptr;
}

bool supports(const Catalog& catalog, const GpuState& gpu, ProfileIndex p) {
  if (catalog.profile(p).board != gpu.board) return false;
  return gpu.supported.empty() ||
         std::find(gpu.supported.begin(), gpu.supported.end(), p) != gpu.supported.end();
}

bool board_has_mode(const Board& board, GpuMode mode) {
  switch (mode) {
    case GpuMode::equal_size: return true;
    case GpuMode::mixed_size: return board.mixed_size_capable;
    case GpuMode::mig: return board.mig_capable;
  }
  return false;
}

// The unsupported_profile and mode rules; nullopt when both pass.
std::optional<Fit> check_profile(const Catalog& catalog, const GpuState& gpu, ProfileIndex index) {
  if (gpu.board < 0 || static_cast<std::size_t>(gpu.board) >= catalog.boards().size()) {
    return refuse(rule::kUnsupportedProfile,
                  "GPU board index " + num(gpu.board) + " is not in the catalog");
  }
  if (!in_catalog(catalog, index)) {
    return refuse(rule::kUnsupportedProfile,
                  "profile index " + num(index) + " is not in the catalog");
  }
  const Profile& p = catalog.profile(index);
  const Board& board = catalog.board(gpu.board);
  if (p.board != gpu.board) {
    return refuse(rule::kUnsupportedProfile, p.name + " is a profile of board " +
                                                 catalog.board(p.board).name +
                                                 "; this GPU is board " + board.name);
  }
  if (!supports(catalog, gpu, index)) {
    return refuse(rule::kUnsupportedProfile,
                  p.name + " is not among the " + num(static_cast<int>(gpu.supported.size())) +
                      " profiles this GPU supports");
  }
  if (!board_has_mode(board, gpu.mode)) {
    return refuse(rule::kMode, "GPU is in " + std::string(mode_phrase(gpu.mode)) + " but " +
                                   board.name + " does not have that mode");
  }
  if (p.is_mig() != (gpu.mode == GpuMode::mig)) {
    return refuse(rule::kMode, p.name + (p.is_mig() ? " is MIG-backed" : " is time-sliced") +
                                   "; the GPU is in " + std::string(mode_phrase(gpu.mode)));
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// What is on the GPU, as the rules count it

struct Usage {
  std::vector<int> cover;  // per axis position: vGPUs covering it
  std::vector<std::pair<ProfileIndex, int>> counts;
  int compute_slices = 0;
  std::int64_t framebuffer_mb = 0;

  int count_of(ProfileIndex p) const {
    for (const auto& [index, n] : counts) {
      if (index == p) return n;
    }
    return 0;
  }

  bool free(int start, int size) const {
    if (start < 0 || start + size > static_cast<int>(cover.size())) return false;
    for (int i = start; i < start + size; ++i) {
      if (cover[static_cast<std::size_t>(i)] != 0) return false;
    }
    return true;
  }

  std::vector<int> used_positions() const {
    std::vector<int> out;
    for (std::size_t i = 0; i < cover.size(); ++i) {
      if (cover[i] != 0) out.push_back(static_cast<int>(i));
    }
    return out;
  }

  // Counts every known profile; covers the axis only where the profile has a placement in the
  // mode (clipped to the axis, so that a bad reported start cannot write outside it).
  void add(const Catalog& catalog, GpuMode mode, ProfileIndex index, int start) {
    if (!in_catalog(catalog, index)) return;
    const Profile& p = catalog.profile(index);
    auto it = std::find_if(counts.begin(), counts.end(),
                           [&](const auto& c) { return c.first == index; });
    if (it == counts.end()) {
      counts.emplace_back(index, 1);
    } else {
      ++it->second;
    }
    compute_slices += p.mig_compute_slices;
    framebuffer_mb += p.framebuffer_mb;
    if (const SlotPlacement* placement = placement_in(p, mode)) {
      const int from = std::max(0, start);
      const int to = std::min(static_cast<int>(cover.size()), start + placement->size);
      for (int i = from; i < to; ++i) ++cover[static_cast<std::size_t>(i)];
    }
  }
};

Usage usage_of(const Catalog& catalog, const GpuState& gpu) {
  Usage u;
  u.cover.assign(static_cast<std::size_t>(axis_length(catalog.board(gpu.board), gpu.mode)), 0);
  for (const PlacedVgpu& v : gpu.placed) u.add(catalog, gpu.mode, v.profile, v.start);
  return u;
}

// ---------------------------------------------------------------------------------------------
// Choosing starts on the axis (steps 1-3 of the header)

struct Rival {
  ProfileIndex index;
  const Profile* profile;
  const SlotPlacement* placement;
  int max;
};

class StartChooser {
 public:
  StartChooser(const Catalog& catalog, const GpuState& gpu)
      : board_(catalog.board(gpu.board)), mode_(gpu.mode) {
    // Every profile the GPU may host in this mode competes for the axis.
    for (const ProfileIndex i : catalog.profiles_of(gpu.board)) {
      const Profile& p = catalog.profile(i);
      if (!supports(catalog, gpu, i)) continue;
      if (const SlotPlacement* placement = placement_in(p, mode_)) {
        rivals_.push_back({i, &p, placement, max_in(p, mode_)});
      }
    }
  }

  // Whether one more vGPU of p stays within the compute (MIG) or framebuffer (mixed) budget.
  bool within_budget(const Usage& u, const Profile& p, int more = 1) const {
    if (mode_ == GpuMode::mig) {
      return u.compute_slices + more * p.mig_compute_slices <= board_.mig_compute_slices;
    }
    return u.framebuffer_mb + more * p.framebuffer_mb <= board_.framebuffer_mb;
  }

  std::optional<int> choose(const Usage& u, const SlotPlacement& placement) const {
    const int axis = static_cast<int>(u.cover.size());
    // Step 1: the length of the maximal free run around each free position.
    std::vector<int> run(static_cast<std::size_t>(axis), 0);
    for (int i = 0; i < axis;) {
      if (u.cover[static_cast<std::size_t>(i)] != 0) {
        ++i;
        continue;
      }
      int j = i;
      while (j < axis && u.cover[static_cast<std::size_t>(j)] == 0) ++j;
      for (int k = i; k < j; ++k) run[static_cast<std::size_t>(k)] = j - i;
      i = j;
    }
    std::vector<int> candidates;
    int best_run = std::numeric_limits<int>::max();
    for (const int s : placement.starts) {
      if (!u.free(s, placement.size)) continue;
      const int r = run[static_cast<std::size_t>(s)];
      if (r < best_run) {
        best_run = r;
        candidates.clear();
      }
      if (r == best_run) candidates.push_back(s);
    }
    if (candidates.size() <= 1) {
      if (candidates.empty()) return std::nullopt;
      return candidates.front();
    }

    // Step 2: placements still open, as intervals [start, end). A candidate [s, s + size)
    // blocks those it intersects: all, minus those ending at or before s, minus those starting
    // at or after s + size. Histograms over the axis make each count O(1).
    std::vector<int> ends_at(static_cast<std::size_t>(axis) + 1, 0);
    std::vector<int> starts_at(static_cast<std::size_t>(axis) + 1, 0);
    int open = 0;
    for (const Rival& r : rivals_) {
      if (u.count_of(r.index) >= r.max || !within_budget(u, *r.profile)) continue;
      for (const int t : r.placement->starts) {
        if (!u.free(t, r.placement->size)) continue;
        ++open;
        ++ends_at[static_cast<std::size_t>(t + r.placement->size)];
        ++starts_at[static_cast<std::size_t>(t)];
      }
    }
    // ends_at[x] := open placements ending at or before x; starts_at[x] := starting at or after x.
    for (std::size_t x = 1; x < ends_at.size(); ++x) ends_at[x] += ends_at[x - 1];
    for (std::size_t x = starts_at.size() - 1; x-- > 0;) starts_at[x] += starts_at[x + 1];

    int best = candidates.front();
    int fewest = std::numeric_limits<int>::max();
    for (const int s : candidates) {  // ascending: step 3 keeps the lowest on ties
      const int blocked = open - ends_at[static_cast<std::size_t>(s)] -
                          starts_at[static_cast<std::size_t>(s + placement.size)];
      if (blocked < fewest) {
        fewest = blocked;
        best = s;
      }
    }
    return best;
  }

 private:
  const Board& board_;
  GpuMode mode_;
  std::vector<Rival> rivals_;
};

// ---------------------------------------------------------------------------------------------
// The mode rules

std::string in_use(const Profile& p, int used, int max, int count, GpuMode mode) {
  std::string out = p.name + ": " + num(used) + " of " + num(max) + " in use";
  if (count > 1) out += ", " + num(count) + " requested";
  return out + " (max per GPU in " + std::string(mode_phrase(mode)) + ")";
}

Fit fit_equal_size(const Catalog& catalog, const GpuState& gpu, ProfileIndex index, int count) {
  const Profile& p = catalog.profile(index);
  if (!offered_in(p, GpuMode::equal_size)) {
    return refuse(rule::kEqualSize, p.name + " is not offered in equal-size mode");
  }
  for (const PlacedVgpu& v : gpu.placed) {
    if (v.profile != index) {
      const std::string other =
          in_catalog(catalog, v.profile) ? catalog.profile(v.profile).name
                                         : "profile index " + num(v.profile);
      return refuse(rule::kEqualSize, "GPU hosts " + other +
                                          "; equal-size mode allows one profile per GPU "
                                          "(requested " + p.name + ")");
    }
  }
  const int used = static_cast<int>(gpu.placed.size());
  if (used + count > p.max_equal_size) {
    return refuse(rule::kEqualSize,
                  in_use(p, used, p.max_equal_size, count, GpuMode::equal_size));
  }
  return Fit{true, rule::kEqualSize, {}, std::vector<int>(static_cast<std::size_t>(count), 0)};
}

Fit fit_on_axis(const Catalog& catalog, const GpuState& gpu, ProfileIndex index, int count) {
  const Profile& p = catalog.profile(index);
  const Board& board = catalog.board(gpu.board);
  const GpuMode mode = gpu.mode;
  const std::string_view rule_name = rule_of(mode);
  const SlotPlacement* placement = placement_in(p, mode);
  if (!placement) {
    return refuse(rule_name, p.name + " is not offered in " + std::string(mode_phrase(mode)));
  }
  Usage u = usage_of(catalog, gpu);
  const int max = max_in(p, mode);
  const int used = u.count_of(index);
  if (used + count > max) return refuse(rule_name, in_use(p, used, max, count, mode));

  const StartChooser chooser(catalog, gpu);
  if (!chooser.within_budget(u, p, count)) {
    const std::string times = count > 1 ? num(count) + " x " : "";
    if (mode == GpuMode::mig) {
      return refuse(rule_name, "compute slices: " + num(u.compute_slices) + " of " +
                                   num(board.mig_compute_slices) + " in use, " + p.name +
                                   " needs " + times + num(p.mig_compute_slices));
    }
    return refuse(rule_name, "framebuffer: " + num(u.framebuffer_mb) + " of " +
                                 num(board.framebuffer_mb) + " MB in use, " + p.name + " needs " +
                                 times + num(p.framebuffer_mb) + " MB");
  }

  Fit out{true, rule_name, {}, {}};
  for (int k = 0; k < count; ++k) {
    const auto start = chooser.choose(u, *placement);
    if (!start) {
      const std::string room =
          k > 0 ? "room for " + num(k) + " of the " + num(count) + " requested; " : "";
      return refuse(rule_name, room + "no free aligned run of " + num(placement->size) + " " +
                                   unit(mode, placement->size) + " at starts " +
                                   start_list(placement->starts) + " (" +
                                   (mode == GpuMode::mig ? "slices" : "slots") +
                                   " used: " + ranges(u.used_positions()) + ")");
    }
    u.add(catalog, mode, index, *start);
    out.starts.push_back(*start);
  }
  return out;
}

}  // namespace

int axis_length(const Board& board, GpuMode mode) {
  switch (mode) {
    case GpuMode::equal_size: return 0;
    case GpuMode::mixed_size: return board.mixed_size_capable ? board.mixed_size_slots : 0;
    case GpuMode::mig: return board.mig_capable ? board.mig_memory_slices : 0;
  }
  return 0;
}

Fit fit(const Catalog& catalog, const GpuState& gpu, ProfileIndex profile, int count) {
  if (count < 1) {
    return refuse(rule::kCount, "requested " + num(count) + " vGPUs; at least 1 is needed");
  }
  if (auto refused = check_profile(catalog, gpu, profile)) return std::move(*refused);
  if (gpu.mode == GpuMode::equal_size) return fit_equal_size(catalog, gpu, profile, count);
  return fit_on_axis(catalog, gpu, profile, count);
}

int free_count(const Catalog& catalog, const GpuState& gpu, ProfileIndex profile) {
  if (check_profile(catalog, gpu, profile)) return 0;
  const Profile& p = catalog.profile(profile);
  if (gpu.mode == GpuMode::equal_size) {
    if (!offered_in(p, gpu.mode)) return 0;
    for (const PlacedVgpu& v : gpu.placed) {
      if (v.profile != profile) return 0;
    }
    return std::max(0, p.max_equal_size - static_cast<int>(gpu.placed.size()));
  }
  const SlotPlacement* placement = placement_in(p, gpu.mode);
  if (!placement) return 0;
  Usage u = usage_of(catalog, gpu);
  const StartChooser chooser(catalog, gpu);
  const int max = max_in(p, gpu.mode);
  int n = 0;
  while (u.count_of(profile) < max && chooser.within_budget(u, p)) {
    const auto start = chooser.choose(u, *placement);
    if (!start) break;
    u.add(catalog, gpu.mode, profile, *start);
    ++n;
  }
  return n;
}

std::vector<int> occupied_slots(const Catalog& catalog, const GpuState& gpu) {
  if (gpu.board < 0 || static_cast<std::size_t>(gpu.board) >= catalog.boards().size()) return {};
  return usage_of(catalog, gpu).cover;
}

void apply(GpuState& gpu, ProfileIndex profile, const Fit& fit) {
  if (!fit.ok) return;
  for (const int start : fit.starts) gpu.placed.push_back({profile, start});
}

std::vector<std::string> violations(const Catalog& catalog, const GpuState& gpu) {
  std::vector<std::string> out;
  if (gpu.board < 0 || static_cast<std::size_t>(gpu.board) >= catalog.boards().size()) {
    out.push_back("GPU board index " + num(gpu.board) + " is not in the catalog");
    return out;
  }
  const Board& board = catalog.board(gpu.board);
  const GpuMode mode = gpu.mode;
  if (!board_has_mode(board, mode)) {
    out.push_back("GPU is in " + std::string(mode_phrase(mode)) + " but " + board.name +
                  " does not have that mode");
  }

  // Each vGPU on its own.
  for (std::size_t i = 0; i < gpu.placed.size(); ++i) {
    const PlacedVgpu& v = gpu.placed[i];
    const std::string who = "vGPU " + num(static_cast<std::int64_t>(i));
    if (!in_catalog(catalog, v.profile)) {
      out.push_back(who + ": profile index " + num(v.profile) + " is not in the catalog");
      continue;
    }
    const Profile& p = catalog.profile(v.profile);
    const std::string what = who + " (" + p.name + ")";
    if (p.board != gpu.board) {
      out.push_back(what + ": a profile of board " + catalog.board(p.board).name +
                    " on board " + board.name);
      continue;
    }
    if (!supports(catalog, gpu, v.profile)) {
      out.push_back(what + ": not among the profiles this GPU supports");
    }
    if (p.is_mig() != (mode == GpuMode::mig)) {
      out.push_back(what + (p.is_mig() ? ": MIG-backed" : ": time-sliced") + " on a GPU in " +
                    std::string(mode_phrase(mode)));
      continue;
    }
    if (!offered_in(p, mode)) {
      out.push_back(what + ": not offered in " + std::string(mode_phrase(mode)));
      continue;
    }
    if (const SlotPlacement* placement = placement_in(p, mode)) {
      if (!std::binary_search(placement->starts.begin(), placement->starts.end(), v.start)) {
        out.push_back(what + ": " + unit(mode, 1) + " " + num(v.start) +
                      " is not an allowed start (" + start_list(placement->starts) + ")");
      } else if (v.start + placement->size > axis_length(board, mode)) {
        out.push_back(what + ": start " + num(v.start) + " + size " + num(placement->size) +
                      " runs past the " + num(axis_length(board, mode)) + " " +
                      unit(mode, 2) + " of the GPU");
      }
    }
  }

  // The GPU as a whole.
  const Usage u = usage_of(catalog, gpu);
  if (mode == GpuMode::equal_size) {
    std::vector<ProfileIndex> kinds;
    for (const auto& [index, n] : u.counts) kinds.push_back(index);
    if (kinds.size() > 1) {
      std::string names;
      for (const ProfileIndex k : kinds) {
        names += (names.empty() ? "" : ", ") + catalog.profile(k).name;
      }
      out.push_back("equal-size mode allows one profile per GPU; it hosts " + names);
    }
  } else {
    std::vector<int> overlapping;
    for (std::size_t i = 0; i < u.cover.size(); ++i) {
      if (u.cover[i] > 1) overlapping.push_back(static_cast<int>(i));
    }
    if (!overlapping.empty()) {
      out.push_back(std::string(mode == GpuMode::mig ? "memory slices " : "slots ") +
                    ranges(overlapping) + " are used by more than one vGPU");
    }
  }
  for (const auto& [index, n] : u.counts) {
    const Profile& p = catalog.profile(index);
    if (p.board != gpu.board || p.is_mig() != (mode == GpuMode::mig) || !offered_in(p, mode)) {
      continue;  // reported per vGPU above
    }
    const int max = max_in(p, mode);
    if (n > max) {
      out.push_back(p.name + ": " + num(n) + " placed, max " + num(max) + " per GPU in " +
                    std::string(mode_phrase(mode)));
    }
  }
  if (mode == GpuMode::mig && board.mig_capable && u.compute_slices > board.mig_compute_slices) {
    out.push_back("compute slices: " + num(u.compute_slices) + " used, the GPU has " +
                  num(board.mig_compute_slices));
  }
  if (mode != GpuMode::mig && u.framebuffer_mb > board.framebuffer_mb) {
    out.push_back("framebuffer: " + num(u.framebuffer_mb) + " MB placed, the GPU has " +
                  num(board.framebuffer_mb) + " MB");
  }
  return out;
}

}  // namespace vgpu::scheduler::vgpu
