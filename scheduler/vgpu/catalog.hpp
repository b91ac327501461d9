#pragma once
// The vGPU profile catalog: boards (physical GPU models) and the vGPU profiles each can host,
// with the numbers the placement rules need. Built from data (catalog_csv.hpp), frozen, shared
// read-only. Facts: ../shared/domain/vgpu.md; names follow NVIDIA's (`A40-4Q`, `A100-3-20C`).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vgpu::scheduler::vgpu {

// The series letter decides the licence edition a running vGPU consumes.
enum class Series : char { A = 'A', B = 'B', C = 'C', Q = 'Q' };

enum class Edition : std::uint8_t {
  rtx_vws,        // Q (and B when the vPC pool may borrow from vWS)
  vpc,            // B
  vapps,          // A
  ai_enterprise,  // C (vCS before vGPU 17)
};
inline constexpr int kEditionCount = 4;

// How a physical GPU shares itself out. A GPU is in exactly one mode at a time.
enum class GpuMode : std::uint8_t {
  equal_size,  // time-sliced, one profile (one framebuffer size) per GPU at a time
  mixed_size,  // time-sliced, profiles mix on aligned slot runs (vGPU 17+)
  mig,         // MIG-backed: one vGPU per GPU instance at fixed memory-slice starts
};

using ProfileIndex = std::int32_t;  // position in Catalog::profiles()
using BoardIndex = std::int32_t;    // position in Catalog::boards()

struct Board {
  std::string name;              // GPU code as in profile names: "A40", "A100D", "H100XM"
  int gpus_per_board = 1;        // A16 and M10 carry 4 GPUs, each a separate pGPU provider
  std::int64_t framebuffer_mb = 0;  // per GPU
  bool mixed_size_capable = false;
  // Slot axis of mixed-size placements (0 when not capable). The shipped value is a modelled
  // default (framebuffer in units dividing every time-sliced profile: A40 -> 48 slots of 1 GB),
  // not NVIDIA's placement IDs; operators override it from `nvidia-smi vgpu -s -v`.
  int mixed_size_slots = 0;
  bool mig_capable = false;
  int mig_compute_slices = 0;    // 7 on A100/H100, 4 on A30
  int mig_memory_slices = 0;     // 8 on A100/H100, 4 on A30
  // Power per GPU, defaults when a host does not report its own. The shipped values are
  // modelled, not measured (data/default_boards.csv.inc): busy = max board power / GPUs, so an
  // upper bound of the typical draw; idle = a quarter of that, at most 30 W.
  double idle_watts = 0;         // powered, no vGPU resident
  double busy_watts = 0;         // at least one vGPU resident (typical, not peak)
};

// Where a vGPU of a profile may sit on the GPU's slot axis (mixed-size: framebuffer slots;
// MIG: memory slices). A vGPU occupies [start, start + size).
struct SlotPlacement {
  int size = 0;
  std::vector<int> starts;       // allowed starts, ascending
};

struct Profile {
  std::string name;              // "A40-4Q", "A100-3-20C"
  BoardIndex board = 0;
  Series series = Series::Q;
  Edition edition = Edition::rtx_vws;
  std::int64_t framebuffer_mb = 0;
  int max_equal_size = 0;        // max per GPU in equal-size mode (0: not offered in that mode)
  int max_mixed_size = 0;        // max per GPU in mixed-size mode (0: not offered in that mode)
  // When offered in mixed-size mode. Shipped: a modelled default (size = framebuffer / slot,
  // starts = aligned multiples of the size); real placements come from `nvidia-smi vgpu -s -v`.
  std::optional<SlotPlacement> mixed_placement;
  // MIG-backed profiles only: the GPU-instance profile and its placement on memory slices.
  std::string mig_profile;       // "3g.20gb"; empty for time-sliced profiles
  int mig_compute_slices = 0;    // the `g` in `3g.20gb`
  int max_mig = 0;               // max per GPU (1 for +me instances)
  std::optional<SlotPlacement> mig_placement;

  bool is_mig() const { return !mig_profile.empty(); }
};

class Catalog {
 public:
  Catalog() = default;
  Catalog(std::vector<Board> boards, std::vector<Profile> profiles);

  const std::vector<Board>& boards() const { return boards_; }
  const std::vector<Profile>& profiles() const { return profiles_; }
  const Board& board(BoardIndex i) const { return boards_[static_cast<std::size_t>(i)]; }
  const Profile& profile(ProfileIndex i) const { return profiles_[static_cast<std::size_t>(i)]; }

  // Exact, case-sensitive names; nullopt when unknown.
  std::optional<BoardIndex> find_board(std::string_view name) const;
  std::optional<ProfileIndex> find_profile(std::string_view name) const;
  // Profiles of one board, in catalog order.
  std::vector<ProfileIndex> profiles_of(BoardIndex board) const;

 private:
  std::vector<Board> boards_;
  std::vector<Profile> profiles_;
  // Sorted (name, index) pairs for lookups.
  std::vector<std::pair<std::string, BoardIndex>> board_index_;
  std::vector<std::pair<std::string, ProfileIndex>> profile_index_;
};

std::string_view to_string(Series);
std::string_view to_string(Edition);   // "rtx_vws", "vpc", "vapps", "ai_enterprise"
std::string_view to_string(GpuMode);   // "equal_size", "mixed_size", "mig"
std::optional<Edition> edition_from_string(std::string_view);
std::optional<GpuMode> gpu_mode_from_string(std::string_view);
Edition edition_of(Series);

}  // namespace vgpu::scheduler::vgpu
