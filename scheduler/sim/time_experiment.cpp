#include "scheduler/sim/time_experiment.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>

#include "scheduler/sim/parallel_runs.hpp"

namespace vgpu::scheduler::sim {

std::vector<TimeRunRecord> run_time_experiment(const Mode& mode, const ClusterSpec& spec,
                                               const Workload& requests,
                                               const PolicyRegistry& policies,
                                               const ExperimentOptions& options,
                                               const TimeProtocolOptions& time,
                                               const vgpu::Catalog& catalog,
                                               const PowerConfig& power_config,
                                               const ExperimentProgress& progress) {
  for (const std::string& p : options.policies) (void)policies.description(p);  // throws
  const SimCluster base = mode.build(spec);
  const NodeModel model = mode.node_model(base);
  const ClusterPower power(base, catalog, power_config);
  const TargetWorkload target = target_workload(requests, options.popularity);
  auto model_trait = [&base, &mode](std::string_view m) { return mode.model_trait(base, m); };

  std::vector<TimeRunRecord> runs;
  for (const std::string& p : options.policies)
    for (std::uint64_t s : options.seeds) runs.push_back({p, s, {}, 0});

  std::mutex report;  // progress lines from several runs
  run_parallel(runs.size(), options.jobs, [&](std::size_t i) {
    TimeRunRecord& run = runs[i];
    const auto start = std::chrono::steady_clock::now();
    const FgdFragmentation fragmentation(target, model_trait);
    // Same seed derivation as protocol (a)'s runs (experiment.cpp).
    const search::Profile profile = policies.build(
        run.policy, PolicyContext{base, model, &fragmentation, run.seed * 7919 + 17});
    Progress tick;
    if (progress)
      tick = [&](std::size_t done, std::size_t total) {
        std::lock_guard lock(report);
        progress(run.policy, run.seed, done, total);
      };
    run.result =
        run_time_protocol(mode, base, requests, profile, power, time, tick, policies.tree_local(run.policy));
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  });
  return runs;
}

std::vector<TimePolicySummary> summarise_time(const std::vector<TimeRunRecord>& runs) {
  std::vector<TimePolicySummary> out;
  for (const TimeRunRecord& r : runs)
    if (std::none_of(out.begin(), out.end(), [&](const auto& s) { return s.policy == r.policy; })) {
      out.push_back({});
      out.back().policy = r.policy;
    }
  for (TimePolicySummary& s : out) {
    std::vector<double> acc, mean_hosts, peak_hosts, gpus, energy, seats;
    double seconds = 0;
    for (const TimeRunRecord& r : runs) {
      if (r.policy != s.policy) continue;
      ++s.runs;
      seconds += r.seconds;
      acc.push_back(r.result.acceptance_pct);
      mean_hosts.push_back(r.result.mean_active_hosts);
      peak_hosts.push_back(r.result.peak_active_hosts);
      gpus.push_back(r.result.mean_active_gpus);
      energy.push_back(r.result.energy_kwh);
      seats.push_back(static_cast<double>(r.result.peak_seats));
    }
    s.acceptance_pct = mean_sd(acc);
    s.mean_active_hosts = mean_sd(mean_hosts);
    s.peak_active_hosts = mean_sd(peak_hosts);
    s.mean_active_gpus = mean_sd(gpus);
    s.energy_kwh = mean_sd(energy);
    s.peak_seats = mean_sd(seats);
    s.seconds_per_run = s.runs ? seconds / static_cast<double>(s.runs) : 0;
  }
  return out;
}

}  // namespace vgpu::scheduler::sim
