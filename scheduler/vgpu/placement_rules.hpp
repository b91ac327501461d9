#pragma once
// Can this GPU take `count` more vGPUs of a profile, and where? Pure functions of the catalog
// and one GPU's state (vgpu.md §2, §3):
//
//   unsupported_profile  the profile is of another board, or not in GpuState::supported (an
//                        empty list means every profile of the board).
//   mode                 MIG-backed profiles only on a GPU in MIG mode, time-sliced ones only in
//                        equal-size or mixed-size mode; a GPU's mode must be one its board has.
//   equal_size           every vGPU on the GPU is of one profile (an empty GPU takes any
//                        supported one); at most max_equal_size of it. Starts are all 0.
//   mixed_size           profiles mix; each vGPU needs a free run of its size at one of its
//                        allowed starts on the board's slot axis; per profile at most
//                        max_mixed_size; the framebuffers add up to at most the GPU's.
//   mig                  each GPU instance needs a free run of its memory slices at a valid
//                        start; compute slices add up to at most the board's; per profile at
//                        most max_mig.
//
// Choosing a start (mixed-size and MIG), deterministic, one vGPU after another:
//   1. best fit: among the allowed free starts, those inside the smallest maximal free run, so
//      that holes are filled before large free areas are cut;
//   2. then the start whose run blocks the fewest placements still open on the GPU (every
//      supported profile of this mode that is below its max and within the compute or
//      framebuffer budget, at each of its free allowed starts), so that starts other profiles
//      depend on stay free: a 3g on an empty A100 goes to slice 4 and keeps 4g's only start 0;
//   3. then the lowest start.
// No order-blind rule keeps every zero-waste mix possible whatever the arrival order (2g then
// 2g then 3g needs the first 2g at 0, 2g then 4g then 1g needs it at 4); step 2 prefers keeping
// the larger instances placeable. On a mixed-size axis of aligned sizes steps 1-3 pack small
// vGPUs together from the low end, like a buddy allocator.
//
// Counts of more than one are placed one after another on the updated state, all or nothing.
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/vgpu/catalog.hpp"
#include "scheduler/vgpu/gpu_state.hpp"

namespace vgpu::scheduler::vgpu {

// Fit::rule values; stable strings (they reach API error details and metrics labels).
namespace rule {
inline constexpr std::string_view kEqualSize = "equal_size";
inline constexpr std::string_view kMixedSize = "mixed_size";
inline constexpr std::string_view kMig = "mig";
inline constexpr std::string_view kUnsupportedProfile = "unsupported_profile";
inline constexpr std::string_view kMode = "mode";
inline constexpr std::string_view kCount = "count";  // count < 1
}  // namespace rule

struct Fit {
  bool ok = false;
  // The rule that decided: when ok, the GPU's mode (equal_size, mixed_size, mig); otherwise
  // the rule that refused.
  std::string_view rule;
  // When not ok: one sentence with the numbers, e.g.
  //   "GPU hosts A40-8Q; equal-size mode allows one profile per GPU (requested A40-4Q)"
  //   "A40-4Q: 12 of 12 in use (max per GPU in equal-size mode)"
  std::string detail;
  // When ok: the start of each new vGPU, in placement order (all 0 in equal-size mode).
  std::vector<int> starts;
};

Fit fit(const Catalog& catalog, const GpuState& gpu, ProfileIndex profile, int count = 1);

// How many more vGPUs of the profile the GPU could take now, placing them one by one with the
// same start choice as fit(). 0 when any rule refuses the profile.
int free_count(const Catalog& catalog, const GpuState& gpu, ProfileIndex profile);

// The GPU's slot axis: mixed-size slots or MIG memory slices of its board; 0 slots in
// equal-size mode (no placement there).
int axis_length(const Board& board, GpuMode mode);

// Per position on the axis, how many placed vGPUs cover it (0 free, 2 or more an overlap).
// vGPUs of profiles without a placement in the GPU's mode, or unknown, are skipped.
std::vector<int> occupied_slots(const Catalog& catalog, const GpuState& gpu);

// The state after a successful fit: the new vGPUs appended at fit.starts.
void apply(GpuState& gpu, ProfileIndex profile, const Fit& fit);

// Every rule the placed vGPUs break, one sentence each (for a `check` of a reported state):
// unknown or foreign profiles, unsupported ones, kinds that do not match the mode, starts not
// allowed or off the axis, overlaps, several profiles in equal-size mode, maxima exceeded,
// framebuffer or compute slices over the GPU's. Empty when the state is valid.
std::vector<std::string> violations(const Catalog& catalog, const GpuState& gpu);

}  // namespace vgpu::scheduler::vgpu
