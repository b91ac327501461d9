#pragma once
// The simulator's policies for the vGPU modes (scheduler/sim/vgpu_mode.hpp), as score plugins
// of the candidate search like the FGD paper's (policy_plugins.hpp): score() picks the GPU
// inside a host, candidate_score() orders hosts (Profile::rank_trees; equal scores go to the
// first host by name). The vGPU rules themselves (equal-size, MIG starts) are the service's
// filters in the same profile: these only choose among what the rules allow. "ours" is not
// here: it is the service's own VgpuScore (policy_registry.cpp).
// Plugins holding a memo or a measure serve one run at a time (not thread-safe).
#include <cstdint>
#include <memory>

#include "scheduler/search/plugin.hpp"
#include "scheduler/sim/node_view.hpp"
#include "scheduler/sim/vgpu_fragmentation.hpp"

namespace vgpu::scheduler::search {

// First-fit: the first host by name that fits, and on it the first GPU (index order) the
// rules allow — Placement's own order, what Nova gets with no weigher.
std::unique_ptr<ScorePlugin> make_policy_first_fit();

// Spread, as Nova's default weighers (RAMWeigher and CPUWeigher, multipliers 1.0): the host
// with the most free memory and vCPUs before placing, each divided by the largest host's (Nova
// normalises each weigher over the hosts between min and max; dividing by the largest keeps the
// order of each weigher, not always of their sum); on the host, the first GPU that fits.
std::unique_ptr<ScorePlugin> make_policy_spread(const sim::NodeModel& model,
                                                std::int64_t max_cpu_milli,
                                                std::int64_t max_memory_mib, ClassId memory);

// GPU packing, the FGD paper's GpuPacking adapted: hosts in three tiers — the candidate lands on
// a GPU already in use (2), on an idle GPU of a host with a GPU in use (1), on an idle host (0);
// ties to the first host by name. On a host, the GPU with the least share left that the rules
// allow (an occupied one before an empty one).
std::unique_ptr<ScorePlugin> make_policy_gpu_packing(const sim::NodeModel& model);

// FGD adapted to vGPU: FGD's host score trunc(100 x sigmoid((F(before) - F(after)) / U)) with
// F the vGPU fragmentation (vgpu_fragmentation.hpp: profiles the GPUs could still take, given
// the target workload of profiles) and U the share units of one GPU; on a host, the GPU whose
// placement raises F least.
std::unique_ptr<ScorePlugin> make_policy_fgd_vgpu(
    const sim::NodeModel& model, std::shared_ptr<const sim::VgpuFragmentation> fragmentation);

}  // namespace vgpu::scheduler::search
