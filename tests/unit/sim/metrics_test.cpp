// Protocol (a)'s arrival order and the metrics: FGD's per-percent discretisation, mean and sd.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "scheduler/sim/fgd_protocol.hpp"
#include "scheduler/sim/metrics.hpp"

using namespace ::vgpu::scheduler::sim;

TEST_CASE("discretise: the mean of the samples that round to each percent, neighbours when none",
          "[scheduler][sim][metrics]") {
  // Capacity 10,000 milli-GPU: 100 milli = 1%.
  std::vector<RequestSample> s;
  auto add = [&](std::int64_t arrived, std::int64_t allocated, double frag, std::int64_t failed) {
    RequestSample r;
    r.arrived_milli = arrived, r.allocated_milli = allocated, r.frag_milli = frag;
    r.idle_milli = 10000 - allocated, r.failed = failed;
    r.active_hosts = static_cast<std::int64_t>(s.size());  // one more host awake per sample
    s.push_back(r);
  };
  add(0, 0, 0, 0);          // 0%
  add(140, 140, 50, 0);     // 1.4% -> 1
  add(160, 160, 50, 0);     // 1.6% -> 2
  add(250, 200, 100, 1);    // 2.5% -> 2 (half to even)
  add(450, 400, 100, 1);    // 4.5% -> 4; nothing rounds to 3
  const auto curve = discretise(s, 10000, 5);
  REQUIRE(curve.size() == 6);
  CHECK(curve[1].allocated_pct == Approx(1.4));
  CHECK(curve[2].allocated_pct == Approx((1.6 + 2.0) / 2));
  CHECK(curve[2].frag_pct == Approx((0.5 + 1.0) / 2));
  CHECK(curve[2].frag_rate_pct == Approx((100.0 * 50 / 9840 + 100.0 * 100 / 9800) / 2));
  CHECK(curve[2].failed == Approx(0.5));
  CHECK(curve[2].active_hosts == Approx((2 + 3) / 2.0));
  CHECK(curve[1].active_hosts == Approx(1));
  // 3%: the samples of 2% and 4% (within +-1).
  CHECK(curve[3].allocated_pct == Approx((1.6 + 2.0 + 4.0) / 3));
  CHECK(curve[4].allocated_pct == Approx(4.0));
  CHECK(curve[5].allocated_pct == Approx(4.0));  // 4% is within 1 of 5%
  CHECK(at_percent(curve, 4)->arrived_pct == 4);
  CHECK(at_percent(curve, 9) == nullptr);
}

TEST_CASE("mean and sample standard deviation, NaNs left out", "[scheduler][sim][metrics]") {
  const MeanSd m = mean_sd({2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0, std::nan("")});
  CHECK(m.n == 8);
  CHECK(m.mean == Approx(5.0));
  CHECK(m.sd == Approx(std::sqrt(32.0 / 7.0)));
  CHECK(mean_sd({3.0}).sd == 0.0);
  CHECK(std::isnan(mean_sd({}).mean));
}

SCENARIO("protocol (a) arrivals: the list shuffled per seed, then topped up to tune x capacity",
         "[scheduler][sim][protocol]") {
  Workload w;
  for (int i = 0; i < 20; ++i) {
    RequestSpec r;
    r.name = "p" + std::to_string(100 + i);
    r.num_gpu = 1;
    r.gpu_milli = 500;
    w.requests.push_back(r);
  }
  // 20 x 500 = 10 GPUs of demand on a 10-GPU cluster; tune 1.3 -> 13 GPUs: 6 more pods.
  const auto a = fgd_arrivals(w, 10000, FgdProtocolOptions{1.3, 42});
  CHECK(a.size() == 26);
  std::vector<std::string> first;
  for (std::size_t i = 0; i < 20; ++i) first.push_back(a[i].name);
  std::vector<std::string> sorted = first;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted[0] == "p100");
  CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());  // a permutation
  CHECK(first != sorted);                                                   // shuffled
  CHECK(a[20].name.find("-tuned-0") != std::string::npos);
  CHECK(fgd_arrivals(w, 10000, FgdProtocolOptions{1.3, 42})[0].name == a[0].name);
  std::size_t differ = 0;
  const auto b = fgd_arrivals(w, 10000, FgdProtocolOptions{1.3, 43});
  for (std::size_t i = 0; i < 20; ++i) differ += a[i].name != b[i].name;
  CHECK(differ > 0);
  // Too much demand: pods are dropped until under the target.
  CHECK(fgd_arrivals(w, 5000, FgdProtocolOptions{1.3, 42}).size() == 13);
}
