#include "scheduler/sim/metrics.hpp"

namespace vgpu::scheduler::sim {

std::vector<PercentSample> discretise(const std::vector<RequestSample>& samples,
                                      std::int64_t capacity_milli, int max_pct) {
  struct Sum {
    double alloc = 0, frag = 0, rate = 0, failed = 0, hosts = 0;
    int n = 0, frag_n = 0;
  };
  std::vector<Sum> bins(static_cast<std::size_t>(max_pct) + 3);
  const double cap = static_cast<double>(capacity_milli);
  for (const RequestSample& s : samples) {
    // std::nearbyint rounds half to even, as Python's round() in the authors' analysis.
    const double pct = std::nearbyint(100.0 * static_cast<double>(s.arrived_milli) / cap);
    if (pct < 0 || pct > max_pct + 1) continue;
    Sum& b = bins[static_cast<std::size_t>(pct)];
    b.alloc += 100.0 * static_cast<double>(s.allocated_milli) / cap;
    b.failed += static_cast<double>(s.failed);
    b.hosts += static_cast<double>(s.active_hosts);
    ++b.n;
    if (!std::isnan(s.frag_milli)) {
      b.frag += 100.0 * s.frag_milli / cap;
      b.rate += s.idle_milli > 0 ? 100.0 * s.frag_milli / static_cast<double>(s.idle_milli) : 0.0;
      ++b.frag_n;
    }
  }
  std::vector<PercentSample> out;
  for (int a = 0; a <= max_pct; ++a) {
    Sum s;
    auto add = [&](int i) {
      if (i < 0 || i >= static_cast<int>(bins.size())) return;
      const Sum& b = bins[static_cast<std::size_t>(i)];
      s.alloc += b.alloc, s.frag += b.frag, s.rate += b.rate, s.failed += b.failed;
      s.hosts += b.hosts;
      s.n += b.n, s.frag_n += b.frag_n;
    };
    add(a);
    if (s.n == 0) add(a - 1), add(a + 1);
    PercentSample p;
    p.arrived_pct = a;
    if (s.n > 0) {
      p.allocated_pct = s.alloc / s.n;
      p.failed = s.failed / s.n;
      p.active_hosts = s.hosts / s.n;
    }
    if (s.frag_n > 0) {
      p.frag_pct = s.frag / s.frag_n;
      p.frag_rate_pct = s.rate / s.frag_n;
    }
    out.push_back(p);
  }
  return out;
}

const PercentSample* at_percent(const std::vector<PercentSample>& curve, int pct) {
  for (const PercentSample& p : curve)
    if (p.arrived_pct == pct) return &p;
  return nullptr;
}

MeanSd mean_sd(const std::vector<double>& values) {
  MeanSd r;
  double sum = 0;
  for (double v : values)
    if (!std::isnan(v)) sum += v, ++r.n;
  if (r.n == 0) return r;
  r.mean = sum / static_cast<double>(r.n);
  if (r.n < 2) {
    r.sd = 0;
    return r;
  }
  double sq = 0;
  for (double v : values)
    if (!std::isnan(v)) sq += (v - r.mean) * (v - r.mean);
  r.sd = std::sqrt(sq / static_cast<double>(r.n - 1));
  return r;
}

}  // namespace vgpu::scheduler::sim
