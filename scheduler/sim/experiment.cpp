#include "scheduler/sim/experiment.hpp"

#include <chrono>
#include <cmath>
#include <algorithm>
#include <mutex>

#include "scheduler/sim/parallel_runs.hpp"

namespace vgpu::scheduler::sim {

std::vector<RunRecord> run_fgd_experiment(const Mode& mode, const ClusterSpec& spec,
                                          const Workload& pods, const PolicyRegistry& policies,
                                          const ExperimentOptions& options,
                                          const ExperimentProgress& progress) {
  for (const std::string& p : options.policies)
    (void)policies.description(p);  // throws, naming the known ones, for an unknown policy
  const SimCluster base = mode.build(spec);
  const NodeModel model = mode.node_model(base);
  const TargetWorkload target = target_workload(pods, options.popularity);
  const std::int64_t capacity = static_cast<std::int64_t>(spec.gpu_count()) * model.units_per_gpu;
  auto model_trait = [&base, &mode](std::string_view m) { return mode.model_trait(base, m); };

  std::vector<RunRecord> runs;
  for (const std::string& p : options.policies)
    for (std::uint64_t s : options.seeds) runs.push_back({p, s, {}, 0});

  std::mutex report;  // progress lines from several runs
  run_parallel(runs.size(), options.jobs, [&](std::size_t i) {
    RunRecord& run = runs[i];
    const auto start = std::chrono::steady_clock::now();
    const std::vector<RequestSpec> arrivals =
        fgd_arrivals(pods, capacity, FgdProtocolOptions{options.tune, run.seed});
    const FgdFragmentation fragmentation(target, model_trait);
    // The policy's own draws use a generator apart from the arrivals'.
    const search::Profile profile = policies.build(
        run.policy, PolicyContext{base, model, &fragmentation, run.seed * 7919 + 17});
    Progress tick;
    if (progress)
      tick = [&](std::size_t done, std::size_t total) {
        std::lock_guard lock(report);
        progress(run.policy, run.seed, done, total);
      };
    run.result = run_fgd_protocol(mode, base, arrivals, profile, &fragmentation,
                                  options.tune, tick, policies.tree_local(run.policy));
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  });
  return runs;
}

std::vector<PolicySummary> summarise(const std::vector<RunRecord>& runs, double tune) {
  std::vector<PolicySummary> out;
  const int end = static_cast<int>(std::ceil(tune * 100.0 - 1e-9));
  for (const RunRecord& r : runs) {
    auto it = std::find_if(out.begin(), out.end(), [&](const PolicySummary& s) { return s.policy == r.policy; });
    if (it == out.end()) {
      out.push_back({});
      out.back().policy = r.policy;
      it = out.end() - 1;
    }
  }
  for (PolicySummary& s : out) {
    std::vector<double> unalloc, alloc_end, frag, failed;
    double seconds = 0;
    for (const RunRecord& r : runs) {
      if (r.policy != s.policy) continue;
      ++s.runs;
      seconds += r.seconds;
      const PercentSample* p100 = at_percent(r.result.curve, 100);
      const PercentSample* pend = at_percent(r.result.curve, end);
      unalloc.push_back(p100 ? 100.0 - p100->allocated_pct : std::nan(""));
      frag.push_back(p100 ? p100->frag_pct : std::nan(""));
      alloc_end.push_back(pend ? pend->allocated_pct : std::nan(""));
      failed.push_back(static_cast<double>(r.result.failed));
    }
    s.unallocated_at_100 = mean_sd(unalloc);
    s.allocated_at_end = mean_sd(alloc_end);
    s.frag_at_100 = mean_sd(frag);
    s.failed = mean_sd(failed);
    s.seconds_per_run = s.runs ? seconds / static_cast<double>(s.runs) : 0;
  }
  return out;
}

}  // namespace vgpu::scheduler::sim
