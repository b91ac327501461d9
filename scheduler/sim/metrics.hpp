#pragma once
// What a run measures. After every request (the FGD authors log their counters after each pod)
// a RequestSample; the per-percent curve is then FGD's discretisation of those
// (analysis merge_alloc_discrete.py): for each whole percent a of arrived GPU demand (arrived
// share / cluster GPU capacity, rounded half to even), the mean of the samples that round to
// a, or, when none does, of those within a +- 1.
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace vgpu::scheduler::sim {

struct RequestSample {
  std::int64_t arrived_milli = 0;    // GPU demand of the requests so far, placed or not
  std::int64_t allocated_milli = 0;  // GPU share held by placed requests
  double frag_milli = std::numeric_limits<double>::quiet_NaN();  // FGD amount, cluster-wide
  std::int64_t idle_milli = 0;       // GPU share left, cluster-wide
  std::int64_t failed = 0;           // requests that fitted nowhere so far
  std::int64_t placed = 0;
  std::int64_t active_hosts = 0;     // hosts with anything placed (nothing departs in (a))
};

// One point of the curve, in % of the cluster's GPU capacity (NaN: no sample near it).
struct PercentSample {
  int arrived_pct = 0;
  double allocated_pct = std::numeric_limits<double>::quiet_NaN();
  double frag_pct = std::numeric_limits<double>::quiet_NaN();       // amount / capacity
  double frag_rate_pct = std::numeric_limits<double>::quiet_NaN();  // amount / idle share
  double failed = std::numeric_limits<double>::quiet_NaN();         // mean failed count
  double active_hosts = std::numeric_limits<double>::quiet_NaN();   // mean hosts awake
};

std::vector<PercentSample> discretise(const std::vector<RequestSample>& samples,
                                      std::int64_t capacity_milli, int max_pct);

// The value at `pct` of a curve (NaN when absent).
const PercentSample* at_percent(const std::vector<PercentSample>& curve, int pct);

struct MeanSd {
  double mean = std::numeric_limits<double>::quiet_NaN();
  double sd = std::numeric_limits<double>::quiet_NaN();  // sample standard deviation (n - 1)
  std::size_t n = 0;
};
MeanSd mean_sd(const std::vector<double>& values);  // NaNs are left out

}  // namespace vgpu::scheduler::sim
