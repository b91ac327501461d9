#pragma once
// Protocol (a), the FGD paper's: the pod list, shuffled with `seed`, then topped up with pods
// drawn from it at random (with replacement) until the GPU demand reaches `tune` x the
// cluster's GPU capacity; placed one at a time, in that order; nothing departs. A pod that fits
// nowhere is counted as failed and the run goes on. Metrics after every pod (metrics.hpp).
//
// Details follow the authors' simulator (hkust-adsl/kubernetes-scheduler-simulator):
// - the original pods come first (sorted by name, then shuffled), the resampled ones after
//   (TunePodsByNodeTotalResource runs after the shuffle); one generator, seeded once, serves
//   both; ours is std::mt19937_64, so the draws differ from Go's but not their distribution;
// - top-up stops at the first drawn pod whose per-GPU share would pass the target (their test
//   compares gpu_milli, not num_gpu x gpu_milli, with the remaining room);
// - arrived demand counts every pod, placed or failed.
#include <cstdint>
#include <functional>
#include <vector>

#include "scheduler/search/plugin.hpp"
#include "scheduler/sim/fgd_fragmentation.hpp"
#include "scheduler/sim/metrics.hpp"
#include "scheduler/sim/mode.hpp"
#include "scheduler/sim/trace.hpp"

namespace vgpu::scheduler::sim {

struct FgdProtocolOptions {
  double tune = 1.3;
  std::uint64_t seed = 42;
};

// The arrival order of one run.
std::vector<RequestSpec> fgd_arrivals(const Workload& pods, std::int64_t capacity_milli,
                                      const FgdProtocolOptions& options);

struct RunResult {
  std::vector<RequestSample> samples;  // one per arrival, in order
  std::vector<PercentSample> curve;    // 0 .. ceil(tune x 100) %
  std::int64_t capacity_milli = 0;
  std::int64_t requests = 0;
  std::int64_t failed = 0;
};

// Called after each request with (done, total); may be empty.
using Progress = std::function<void(std::size_t, std::size_t)>;

// Places `arrivals` one at a time on `cluster` (a fresh copy per run) with `profile`.
// `fragmentation`: when given, FGD's fragmentation is measured after every request (per host,
// recomputed only for the host that changed). `tree_local`: the profile's scores are
// (PolicyRegistry::tree_local), so each tree's evaluation is reused while the tree does not
// change (search::TreeMemo): the same placements, far fewer trees evaluated per request.
RunResult run_fgd_protocol(const Mode& mode, SimCluster cluster,
                           const std::vector<RequestSpec>& arrivals,
                           const search::Profile& profile,
                           const FgdFragmentation* fragmentation, double tune,
                           const Progress& progress = {}, bool tree_local = false);

}  // namespace vgpu::scheduler::sim
