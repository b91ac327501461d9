#pragma once
// Fragmentation score, after Fragmentation Gradient Descent (FGD; Weng et al., "Beware of
// Fragmentation: Scheduling GPU-Sharing Workloads with Fragmentation Gradient Descent",
// USENIX ATC '23), adapted to vGPU profiles.
//
// FGD measures a node's fragmentation against the workload it expects: the GPU capacity that a
// task drawn from that workload could not use, weighted by how often such tasks come; it then
// places each task where that expected fragmentation grows least. Here the workload is the
// request mix (request_mix.hpp: profile p with weight w_p, sum 1) and the capacity is the
// GPU's framebuffer (any unit: MB, slots, MIG memory slices; the same for every number below).
//
// Fragmentation of one GPU w.r.t. profile p: the free framebuffer that p cannot use even if it
// filled the GPU with as many p as the placement rules allow (free_count(p)):
//   F_p   = max(0, free - free_count(p) * size(p))
// This covers FGD's "cannot fit at all" (free_count 0: all free space is fragment) and adds what
// is specific to vGPU: space locked away by another framebuffer size (equal-size mode), a
// per-profile cap below free / size (A40-1Q: 32, not 48), holes between aligned slot runs
// (mixed-size, MIG).
// Expected fragmentation:          F = sum over p of w_p * F_p
// Change caused by the placement:  dF = F_after - F_before,  within [-capacity, capacity]
// Score, 0..100 (100 best):        fragmentation = 50 * (1 - dF / capacity), clamped
// so a placement that leaves fragmentation unchanged scores 50, one that fills a fragment
// scores above, one that spoils space the mix could use scores below.
//
// Worked example (L4, 24 GB, equal-size; mix 8Q 0.5, 24Q 0.5; request 8Q):
//   empty GPU:       before F = .5*(24-3*8) + .5*(24-1*24) = 0
//                    after  F = .5*(16-2*8) + .5*(16-0*24) = 8       dF = +8  -> 33.3
//   GPU with one 8Q: before F = .5*(16-2*8) + .5*(16-0)    = 8
//                    after  F = .5*(8-1*8)  + .5*(8-0)     = 4       dF = -4  -> 58.3
// The 8Q goes next to the other 8Q and the empty GPU stays whole for a 24Q.
//
// The mix should hold only profiles this GPU's board offers (mix_fits drops the others and
// renormalises): a profile the GPU can never host adds -w_p * size(placed) to every dF, which
// leaves the ranking of GPUs of one board unchanged but shifts every score. An empty mix says
// nothing: the score is a neutral 50.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "scheduler/vgpu/request_mix.hpp"

namespace vgpu::scheduler::vgpu {

// One profile of the mix, on one GPU, before and after the placement being scored.
struct MixFit {
  double weight = 0;            // w_p
  std::int64_t size = 0;        // size(p), framebuffer
  int free_count_before = 0;    // how many more p the GPU could take before the placement
  int free_count_after = 0;     // ... after it
};

struct FragmentationInput {
  std::int64_t capacity = 0;    // the GPU's framebuffer
  std::int64_t free_before = 0;
  std::int64_t free_after = 0;  // free_before - size of the placed profile
  std::span<const MixFit> mix;
};

// F for a GPU with `free` framebuffer; `after` picks free_count_after over free_count_before.
double expected_fragmentation(std::int64_t free, std::span<const MixFit> mix, bool after);
// dF = F_after - F_before.
double fragmentation_delta(const FragmentationInput&);
// 50 * (1 - dF / capacity) in 0..100; 50 when the mix is empty or capacity <= 0.
double fragmentation_score(const FragmentationInput&);

// Builds the MixFit rows from the request mix and three questions about the GPU (answered by
// the placement rules): the size of a profile (<= 0: not offered on this GPU's board, dropped),
// and how many the GPU could take before and after the placement. Weights of the kept
// profiles are renormalised to sum 1.
std::vector<MixFit> mix_fits(std::span<const ProfileWeight> mix,
                             const std::function<std::int64_t(ProfileIndex)>& size_of,
                             const std::function<int(ProfileIndex)>& free_count_before,
                             const std::function<int(ProfileIndex)>& free_count_after);

}  // namespace vgpu::scheduler::vgpu
