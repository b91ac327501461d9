#include "scheduler/sim/fgd_protocol.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "scheduler/search/search.hpp"
#include "scheduler/sim/host_free_index.hpp"

namespace vgpu::scheduler::sim {

std::vector<RequestSpec> fgd_arrivals(const Workload& pods, std::int64_t capacity_milli,
                                      const FgdProtocolOptions& options) {
  std::vector<RequestSpec> out = pods.requests;
  std::stable_sort(out.begin(), out.end(),
                   [](const RequestSpec& a, const RequestSpec& b) { return a.name < b.name; });
  std::mt19937_64 rng(options.seed);
  std::shuffle(out.begin(), out.end(), rng);
  if (options.tune <= 0 || pods.requests.empty()) return out;
  std::int64_t demand = 0;
  for (const RequestSpec& r : out) demand += r.gpu_demand_milli();
  const double target = options.tune * static_cast<double>(capacity_milli);
  if (static_cast<double>(demand) > target) {
    // Too much already: drop pods at random until under the target (their tuneDownPods).
    while (static_cast<double>(demand) > target && !out.empty()) {
      std::uniform_int_distribution<std::size_t> pick(0, out.size() - 1);
      const std::size_t i = pick(rng);
      demand -= out[i].gpu_demand_milli();
      out.erase(out.begin() + static_cast<std::ptrdiff_t>(i));
    }
    return out;
  }
  std::uniform_int_distribution<std::size_t> pick(0, pods.requests.size() - 1);
  for (std::size_t n = 0;; ++n) {
    RequestSpec r = pods.requests[pick(rng)];
    if (static_cast<double>(demand + r.gpu_milli) > target) break;
    demand += r.gpu_demand_milli();
    r.name += "-tuned-" + std::to_string(n);
    out.push_back(std::move(r));
  }
  return out;
}

RunResult run_fgd_protocol(const Mode& mode, SimCluster cluster,
                           const std::vector<RequestSpec>& arrivals,
                           const search::Profile& profile,
                           const FgdFragmentation* fragmentation, double tune,
                           const Progress& progress, bool tree_local) {
  const NodeModel model = mode.node_model(cluster);
  // Hosts that cannot take a request are refused at their root (host_free_index.hpp): the same
  // placements, without visiting full hosts' providers.
  HostFreeIndex free_index(cluster.state());
  const search::Profile fast = with_host_free_filter(profile, free_index);
  const search::CandidateSearch search(fast);
  // Valid while the trees' versions are the cluster's: place() changes the version of the tree
  // it claims on, as free_index is refreshed for it.
  search::TreeMemo memo(cluster.tree_versions());
  search::TreeMemo* reuse = tree_local ? &memo : nullptr;
  RunResult result;
  result.capacity_milli = static_cast<std::int64_t>(cluster.spec().gpu_count()) * model.units_per_gpu;
  result.requests = static_cast<std::int64_t>(arrivals.size());

  // Fragmentation and idle share per host, kept up to date for the host that changed.
  std::vector<double> frag(cluster.hosts().size(), 0.0);
  std::vector<std::int64_t> idle(cluster.hosts().size(), 0);
  double frag_total = 0;
  std::int64_t idle_total = 0;
  auto measure = [&](std::size_t h) {
    const NodeView v = node_view(cluster.state(), cluster.hosts()[h].root, model);
    frag_total -= frag[h];
    idle_total -= idle[h];
    frag[h] = fragmentation ? fragmentation->amount(v) : 0.0;
    idle[h] = v.gpu_left_total();
    frag_total += frag[h];
    idle_total += idle[h];
  };
  for (std::size_t h = 0; h < cluster.hosts().size(); ++h) measure(h);

  std::vector<bool> active(cluster.hosts().size(), false);  // anything placed on host h
  RequestSample now;
  result.samples.reserve(arrivals.size());
  for (std::size_t i = 0; i < arrivals.size(); ++i) {
    const RequestSpec& r = arrivals[i];
    now.arrived_milli += r.gpu_demand_milli();
    std::vector<search::Candidate> found;
    if (auto request = mode.search_request(cluster, r)) found = search.run(cluster.state(), *request, nullptr, reuse);
    if (found.empty()) {
      ++now.failed;
    } else {
      const ProviderId root = found.front().anchor;
      cluster.place(found.front());
      now.allocated_milli += mode.gpu_share_milli(r);
      ++now.placed;
      free_index.refresh(cluster.state(), root);
      if (const SimHost* host = cluster.host_of_root(root)) {
        const auto h = static_cast<std::size_t>(host - cluster.hosts().data());
        measure(h);
        if (!active[h]) active[h] = true, ++now.active_hosts;
      }
    }
    now.frag_milli = fragmentation ? frag_total : std::numeric_limits<double>::quiet_NaN();
    now.idle_milli = idle_total;
    result.samples.push_back(now);
    if (progress) progress(i + 1, arrivals.size());
  }
  result.failed = now.failed;
  result.curve = discretise(result.samples, result.capacity_milli,
                            static_cast<int>(std::ceil(tune * 100.0 - 1e-9)));
  return result;
}

}  // namespace vgpu::scheduler::sim
