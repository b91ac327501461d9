#pragma once
// The simulator's placement policies as score plugins of the candidate search (the FGD paper's
// baselines and FGD itself, re-implemented from the paper and the authors' simulator). Each
// scores two things:
// - score(): each GPU for a GPU-sharing pod's slot, so that the first candidate of a host uses
//   the GPU the policy would pick (ties: the lower GPU index, as the authors' code does); whole
//   GPUs and CPU/memory slots score 0 (first free GPUs in index order);
// - candidate_score(): the host, for Profile::rank_trees (cross-host order), an integer as the
//   Kubernetes scores are. Equal scores go to the host that comes first (root id order; the
//   simulator creates hosts in name order): the authors patched Kubernetes' selectHost to take
//   the smallest node name among the best instead of a random one, and that tie-break is a
//   large part of how BestFit and FGD pack (FGD's integer score often ties an empty host with a
//   half-full one).
// Random holds a generator and FGD a memo, so a profile with them serves one run at a time
// (not thread-safe); the simulator builds one per run (scheduler/sim/policy_registry.hpp).
#include <cstdint>
#include <memory>

#include "scheduler/search/plugin.hpp"
#include "scheduler/sim/fgd_fragmentation.hpp"
#include "scheduler/sim/node_view.hpp"

namespace vgpu::scheduler::search {

// Random: a host chosen uniformly among those that fit; a sharing pod's GPU uniformly among
// those with room.
std::unique_ptr<ScorePlugin> make_policy_random(const sim::NodeModel& model, std::uint64_t seed);

// BestFit (the authors' BestFitScore): host score
//   trunc(100 x (1 - (0.5 (cpu_left - cpu) / 128000 + 0.5 (gpu_left - gpu) / 8000)))
// (what is left after placing, normalised by the largest node spec; less left is better); a
// sharing pod goes to the GPU with the least share left that fits.
std::unique_ptr<ScorePlugin> make_policy_best_fit(const sim::NodeModel& model,
                                                  double max_cpu_milli = 128000,
                                                  double max_gpu_milli = 8000);

// FGD: host score trunc(100 x sigmoid((F(before) - F(after)) / 1000)) with F the node's
// fragmentation amount against the target workload (fgd_fragmentation.hpp); a sharing pod goes
// to the GPU with the best such score. `fragmentation` must outlive the plugin.
std::unique_ptr<ScorePlugin> make_policy_fgd(const sim::NodeModel& model,
                                             const sim::FgdFragmentation& fragmentation);

}  // namespace vgpu::scheduler::search
