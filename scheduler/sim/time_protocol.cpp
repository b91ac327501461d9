#include "scheduler/sim/time_protocol.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "scheduler/search/search.hpp"

namespace vgpu::scheduler::sim {
namespace {

constexpr double kJoulesPerKwh = 3.6e6;

}  // namespace

std::vector<TimeEvent> time_events(const Workload& requests, double load_factor) {
  const double f = load_factor > 0 ? load_factor : 1.0;
  std::vector<TimeEvent> out;
  // Sort key: time, then departures (0) before arrivals (1), then 0-s lifetimes' departures (2)
  // after their arrival; ties in input order.
  std::vector<int> rank;
  for (std::size_t i = 0; i < requests.requests.size(); ++i) {
    const RequestSpec& r = requests.requests[i];
    const double at = r.arrival / f;
    out.push_back({at, true, i});
    rank.push_back(1);
    if (r.departure) {
      const double lifetime = std::max(0.0, *r.departure - r.arrival);
      out.push_back({at + lifetime, false, i});
      rank.push_back(lifetime > 0 ? 0 : 2);
    }
  }
  std::vector<std::size_t> order(out.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (out[a].time != out[b].time) return out[a].time < out[b].time;
    return rank[a] < rank[b];
  });
  std::vector<TimeEvent> sorted;
  sorted.reserve(out.size());
  for (std::size_t i : order) sorted.push_back(out[i]);
  return sorted;
}

TimeRunResult run_time_protocol(const Mode& mode, SimCluster cluster, const Workload& requests,
                                const search::Profile& profile, const ClusterPower& power,
                                const TimeProtocolOptions& options, const Progress& progress,
                                bool tree_local) {
  const NodeModel model = mode.node_model(cluster);
  const search::CandidateSearch search(profile);
  // Valid while the trees' versions are the cluster's (place and release change them).
  search::TreeMemo memo(cluster.tree_versions());
  search::TreeMemo* reuse = tree_local ? &memo : nullptr;
  const std::vector<TimeEvent> events = time_events(requests, options.load_factor);
  const double f = options.load_factor > 0 ? options.load_factor : 1.0;
  const double step = options.sample_every > 0 ? options.sample_every / f : 0;
  const double capacity =
      static_cast<double>(cluster.spec().gpu_count()) * static_cast<double>(model.units_per_gpu);

  TimeRunResult result;
  result.requests = static_cast<std::int64_t>(requests.requests.size());
  for (const TimeEvent& e : events)
    if (e.arrival) result.horizon = std::max(result.horizon, e.time);

  // Per host: its reading now, and the cluster totals kept up to date for the host that changed.
  std::vector<HostReading> hosts(cluster.hosts().size());
  TimeSample now;
  auto add = [&now](const HostReading& r, int sign) {
    now.active_hosts += sign * (r.awake ? 1 : 0);
    now.active_gpus += sign * r.active_gpus;
    now.watts += sign * r.watts;
    for (std::int64_t s : r.seats) now.seats += sign * s;
  };
  auto measure = [&](std::size_t h) {
    add(hosts[h], -1);
    hosts[h] = power.read(cluster, h);
    add(hosts[h], 1);
  };
  for (std::size_t h = 0; h < cluster.hosts().size(); ++h) measure(h);

  struct Placed {
    Uuid consumer;
    std::size_t host = 0;
    std::int64_t share = 0;
    bool placed = false;
  };
  std::vector<Placed> placed(requests.requests.size());
  std::int64_t allocated = 0;
  double t = 0, host_seconds = 0, gpu_seconds = 0, joules = 0;
  double next_sample = 0;

  // Advances the clock to `to`, integrating the constant draw and emitting the grid samples
  // that fall before it (they see the state of [t, to)).
  auto advance = [&](double to) {
    while (step > 0 && next_sample < to && next_sample <= result.horizon) {
      TimeSample s = now;
      s.time = next_sample;
      s.energy_kwh = (joules + now.watts * (next_sample - t)) / kJoulesPerKwh;
      result.samples.push_back(s);
      next_sample += step;
    }
    const double dt = to - t;
    if (dt > 0) {
      joules += now.watts * dt;
      host_seconds += now.active_hosts * dt;
      gpu_seconds += now.active_gpus * dt;
      t = to;
    }
  };
  auto after_change = [&]() {
    now.allocated_pct = capacity > 0 ? 100.0 * static_cast<double>(allocated) / capacity : 0;
    result.peak_active_hosts = std::max(result.peak_active_hosts, now.active_hosts);
    result.peak_active_gpus = std::max(result.peak_active_gpus, now.active_gpus);
    result.peak_seats = std::max(result.peak_seats, now.seats);
  };

  std::size_t done = 0;
  for (const TimeEvent& e : events) {
    if (e.time > result.horizon) break;  // departures after the last arrival do not matter
    advance(e.time);
    const RequestSpec& r = requests.requests[e.request];
    Placed& p = placed[e.request];
    if (e.arrival) {
      ++now.arrived;
      std::vector<search::Candidate> found;
      if (auto request = mode.search_request(cluster, r))
        found = search.run(cluster.state(), *request, nullptr, reuse);
      if (found.empty()) {
        ++now.rejected;
      } else {
        const SimHost* host = cluster.host_of_root(found.front().anchor);
        p.consumer = cluster.place(found.front());
        p.host = host ? static_cast<std::size_t>(host - cluster.hosts().data()) : 0;
        p.share = mode.gpu_share_milli(r);
        p.placed = true;
        allocated += p.share;
        ++now.running;
        if (host) measure(p.host);
      }
    } else if (p.placed) {
      cluster.release(p.consumer);
      p.placed = false;
      allocated -= p.share;
      --now.running;
      measure(p.host);
    }
    after_change();
    if (progress) progress(++done, events.size());
  }
  advance(result.horizon);
  TimeSample end = now;
  end.time = result.horizon;
  end.energy_kwh = joules / kJoulesPerKwh;
  if (result.samples.empty() || result.samples.back().time < end.time) result.samples.push_back(end);

  result.rejected = now.rejected;
  result.acceptance_pct = now.acceptance_pct();
  result.energy_kwh = joules / kJoulesPerKwh;
  if (result.horizon > 0) {
    result.mean_active_hosts = host_seconds / result.horizon;
    result.mean_active_gpus = gpu_seconds / result.horizon;
  } else {
    result.mean_active_hosts = now.active_hosts;
    result.mean_active_gpus = now.active_gpus;
  }
  if (progress) progress(events.size(), events.size());
  return result;
}

}  // namespace vgpu::scheduler::sim
