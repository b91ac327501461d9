#pragma once
// One experiment of protocol (a): every policy x every seed on one cluster and pod list, each
// run on a fresh copy of the cluster with its own policy plugins (their random draws and memo
// are per run), optionally several runs at a time on `jobs` threads. Then the summary per
// policy, mean and standard deviation across seeds:
// - unallocated GPUs at 100% arrival: 100 - allocation ratio at 100% (the FGD paper's measure,
//   e.g. 100 - analysis_allo_discrete.csv column "100");
// - allocation ratio at the end (saturation, tune x 100 %: 130%);
// - FGD's fragmentation (amount, % of GPU capacity) at 100% arrival; failed pods at the end.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "scheduler/sim/fgd_protocol.hpp"
#include "scheduler/sim/metrics.hpp"
#include "scheduler/sim/mode.hpp"
#include "scheduler/sim/policy_registry.hpp"
#include "scheduler/sim/target_workload.hpp"
#include "scheduler/sim/trace.hpp"

namespace vgpu::scheduler::sim {

struct ExperimentOptions {
  std::vector<std::string> policies{"random", "best-fit", "fgd"};
  std::vector<std::uint64_t> seeds{42, 43, 44, 45, 46, 47, 48, 49, 50, 51};
  double tune = 1.3;
  double popularity = 0.95;  // of the target workload (target_workload.hpp)
  unsigned jobs = 1;
};

struct RunRecord {
  std::string policy;
  std::uint64_t seed = 0;
  RunResult result;
  double seconds = 0;  // wall time of the placements (arrivals built, metrics included)
};

struct PolicySummary {
  std::string policy;
  std::size_t runs = 0;
  MeanSd unallocated_at_100;  // % of GPU capacity
  MeanSd allocated_at_end;    // % at tune x 100
  MeanSd frag_at_100;         // % of GPU capacity
  MeanSd failed;              // pods, whole run
  double seconds_per_run = 0;
};

// (policy, seed, requests done, requests in the run); called from the worker threads, one
// call at a time.
using ExperimentProgress = std::function<void(const std::string&, std::uint64_t, std::size_t, std::size_t)>;

// Throws std::invalid_argument for an unknown policy (before any run starts).
std::vector<RunRecord> run_fgd_experiment(const Mode& mode, const ClusterSpec& cluster,
                                          const Workload& pods, const PolicyRegistry& policies,
                                          const ExperimentOptions& options,
                                          const ExperimentProgress& progress = {});

std::vector<PolicySummary> summarise(const std::vector<RunRecord>& runs, double tune);

}  // namespace vgpu::scheduler::sim
