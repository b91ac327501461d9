#pragma once
// Protocol (b) for every policy x seed (time_protocol.hpp), each run on a fresh copy of the
// cluster with its own policy plugins, optionally on `jobs` threads; then the summary per
// policy as mean and standard deviation across seeds. The replay itself is the same for every
// seed; a seed changes only a policy's own draws (random), so a deterministic policy shows
// sd 0.
#include <cstdint>
#include <string>
#include <vector>

#include "scheduler/sim/experiment.hpp"
#include "scheduler/sim/metrics.hpp"
#include "scheduler/sim/power_metrics.hpp"
#include "scheduler/sim/time_protocol.hpp"
#include "scheduler/vgpu/catalog.hpp"

namespace vgpu::scheduler::sim {

struct TimeRunRecord {
  std::string policy;
  std::uint64_t seed = 0;
  TimeRunResult result;
  double seconds = 0;
};

struct TimePolicySummary {
  std::string policy;
  std::size_t runs = 0;
  MeanSd acceptance_pct;
  MeanSd mean_active_hosts;
  MeanSd peak_active_hosts;
  MeanSd mean_active_gpus;
  MeanSd energy_kwh;
  MeanSd peak_seats;
  double seconds_per_run = 0;
};

// `options.policies`, `.seeds`, `.popularity` (FGD's target workload) and `.jobs` are used;
// `.tune` is not (nothing is resampled). Throws std::invalid_argument for an unknown policy.
std::vector<TimeRunRecord> run_time_experiment(const Mode& mode, const ClusterSpec& cluster,
                                               const Workload& requests,
                                               const PolicyRegistry& policies,
                                               const ExperimentOptions& options,
                                               const TimeProtocolOptions& time,
                                               const vgpu::Catalog& catalog,
                                               const PowerConfig& power,
                                               const ExperimentProgress& progress = {});

std::vector<TimePolicySummary> summarise_time(const std::vector<TimeRunRecord>& runs);

}  // namespace vgpu::scheduler::sim
