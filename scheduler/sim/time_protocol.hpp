#pragma once
// Protocol (b), time-driven: the requests arrive and depart in trace time order (the Alibaba
// pod list's creation_time / deletion_time; the native format's arrival / departure). An
// arrival is placed with the policy's profile or, when it fits nowhere, rejected (counted; no
// retry queue: a rejected request is gone, like a Nova boot that fails with NoValidHost). A
// departure releases the placement (SimCluster::release); that of a rejected request does
// nothing. At equal times departures go first (they free room), except a request's own
// departure when it lives 0 s, which follows its arrival.
//
// Load: the v2023 trace spans ~149 days with ~8,000 pods on 1,213 nodes and its concurrent GPU
// demand peaks at 66 GPUs of 6,212, so as recorded the cluster is nearly empty. `load_factor`
// F divides every arrival time by F and keeps each lifetime (departure = arrival / F +
// lifetime): about F times as many requests run at once (peak ~820 GPUs at F = 100, ~2,760 at
// F = 1000). The run is measured over the arrival window [0, last arrival]: departures after
// it do not matter (they would only empty the cluster).
//
// Sampled on a grid of `sample_every` seconds of trace time (scaled by 1/F like the arrivals)
// and at the end; between events the power is constant, so energy is integrated exactly.
// Deterministic for a given trace and policy: seeds only matter for policies that draw.
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "scheduler/search/plugin.hpp"
#include "scheduler/sim/fgd_protocol.hpp"
#include "scheduler/sim/mode.hpp"
#include "scheduler/sim/power_metrics.hpp"
#include "scheduler/sim/trace.hpp"

namespace vgpu::scheduler::sim {

struct TimeProtocolOptions {
  double load_factor = 1.0;    // arrival times / F, lifetimes kept
  double sample_every = 3600;  // seconds of trace time (before / F)
};

struct TimeSample {
  double time = 0;               // seconds of simulated time (after / F)
  std::int64_t arrived = 0;      // requests so far
  std::int64_t rejected = 0;
  std::int64_t running = 0;      // placed and not departed
  int active_gpus = 0;
  int active_hosts = 0;          // awake: anything placed
  double allocated_pct = 0;      // GPU share held / cluster GPU capacity
  double watts = 0;              // modelled draw of the cluster
  double energy_kwh = 0;         // since time 0
  std::int64_t seats = 0;        // licence seats in use (vGPU mode)

  double acceptance_pct() const {
    return arrived ? 100.0 * static_cast<double>(arrived - rejected) / static_cast<double>(arrived)
                   : 100.0;
  }
};

struct TimeRunResult {
  std::vector<TimeSample> samples;  // the grid, then the end
  std::int64_t requests = 0;
  std::int64_t rejected = 0;
  double horizon = 0;               // seconds simulated (the last arrival)
  double acceptance_pct = 100;
  double mean_active_hosts = 0;     // time-weighted over [0, horizon]
  int peak_active_hosts = 0;
  double mean_active_gpus = 0;      // time-weighted
  int peak_active_gpus = 0;
  double energy_kwh = 0;
  std::int64_t peak_seats = 0;
};

// One arrival or departure, in the order the protocol applies them.
struct TimeEvent {
  double time = 0;
  bool arrival = true;
  std::size_t request = 0;  // index in the workload
};
std::vector<TimeEvent> time_events(const Workload& requests, double load_factor);

// Replays `requests` on `cluster` (a fresh copy per run) with `profile`; `power` was built
// for the same cluster. `progress`: (events done, events in all), may be empty. `tree_local`:
// as run_fgd_protocol's (fgd_protocol.hpp), each tree's evaluation is reused while the tree
// does not change (arrivals and departures change the trees they touch).
TimeRunResult run_time_protocol(const Mode& mode, SimCluster cluster, const Workload& requests,
                                const search::Profile& profile, const ClusterPower& power,
                                const TimeProtocolOptions& options, const Progress& progress = {},
                                bool tree_local = false);

}  // namespace vgpu::scheduler::sim
