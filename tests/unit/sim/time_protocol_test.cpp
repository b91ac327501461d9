// Protocol (b), time-driven, on a hand-made 2-host cluster: acceptance, active hosts over time
// and energy worked out by hand; a departure frees room for a later arrival; the load factor.
#include <catch2/catch.hpp>

#include "scheduler/sim/policy_registry.hpp"
#include "scheduler/sim/time_experiment.hpp"
#include "scheduler/sim/time_protocol.hpp"
#include "scheduler/vgpu/data/default_catalog.hpp"
#include "tests/unit/sim/sim_fixture.hpp"

using namespace ::vgpu::scheduler;
using namespace ::vgpu::scheduler::sim;
using namespace ::vgpu::scheduler::sim::test;

namespace {

RequestSpec timed(std::string name, std::int64_t milli, double arrival,
                  std::optional<double> departure) {
  RequestSpec r = pod(1000, milli);
  r.name = std::move(name);
  r.arrival = arrival;
  r.departure = departure;
  return r;
}

// Two hosts of one T4 each (power: L4, idle 18 W, busy 72 W), host idle 100 W, asleep 0 W:
// a host with one busy GPU draws 172 W.
ClusterSpec two_hosts() { return ClusterSpec{{host("h0", 16000, 1, "T4"), host("h1", 16000, 1, "T4")}}; }

TimeRunResult replay(const Workload& w, const std::string& policy = "best-fit") {
  const auto catalog = ::vgpu::scheduler::vgpu::default_catalog();
  REQUIRE(catalog);
  FractionalMode mode;
  const SimCluster c = mode.build(two_hosts());
  const ClusterPower power(c, *catalog, PowerConfig{100, 0, "A100"});
  const search::Profile profile =
      builtin_policies().build(policy, PolicyContext{c, mode.node_model(c), nullptr, 7});
  return run_time_protocol(mode, c, w, profile, power, TimeProtocolOptions{1.0, 50});
}

}  // namespace

SCENARIO("five requests on two hosts, by hand", "[scheduler][sim][time]") {
  // r0 600 on h0 [0, 100); r1 600 at 10 only fits h1 [10, 50); r2 600 at 20 fits nowhere
  // (400 left on each GPU): rejected; r3 600 at 60 fits h1 again because r1 left at 50;
  // r4 500 at 200 (the last arrival: the end) fits only h0 (h1 has 400 left).
  const Workload w{{timed("r0", 600, 0, 100), timed("r1", 600, 10, 50), timed("r2", 600, 20, 500),
                    timed("r3", 600, 60, std::nullopt), timed("r4", 500, 200, 300)}};
  const TimeRunResult r = replay(w);
  THEN("4 of 5 accepted") {
    CHECK(r.requests == 5);
    CHECK(r.rejected == 1);
    CHECK(r.acceptance_pct == Approx(80));
  }
  THEN("energy: 172 W x (10 + 10 + 100 s) + 344 W x (40 + 40 s) = 48,160 J") {
    CHECK(r.horizon == Approx(200));
    CHECK(r.energy_kwh == Approx(48160.0 / 3.6e6));
  }
  THEN("hosts awake: 1 host x 120 s + 2 x 80 s over 200 s = 1.4 on average, 2 at the peak") {
    CHECK(r.mean_active_hosts == Approx(1.4));
    CHECK(r.mean_active_gpus == Approx(1.4));
    CHECK(r.peak_active_hosts == 2);
    CHECK(r.peak_seats == 0);
  }
  THEN("samples every 50 s and at the end see the state after the events at that time") {
    struct Row {
      double time;
      int hosts;
      std::int64_t arrived, rejected;
      double joules, allocated_pct;
    };
    // GPU share held / 2,000: 600 -> 30%, 1200 -> 60%, r4 adds 500.
    const Row rows[] = {{0, 1, 1, 0, 0, 30},         {50, 1, 3, 1, 15480, 30},
                        {100, 1, 4, 1, 30960, 30},   {150, 1, 4, 1, 39560, 30},
                        {200, 2, 5, 1, 48160, 55}};
    REQUIRE(r.samples.size() == 5);
    for (std::size_t i = 0; i < 5; ++i) {
      INFO("sample " << i);
      CHECK(r.samples[i].time == Approx(rows[i].time));
      CHECK(r.samples[i].active_hosts == rows[i].hosts);
      CHECK(r.samples[i].arrived == rows[i].arrived);
      CHECK(r.samples[i].rejected == rows[i].rejected);
      CHECK(r.samples[i].energy_kwh * 3.6e6 == Approx(rows[i].joules));
      CHECK(r.samples[i].allocated_pct == Approx(rows[i].allocated_pct));
    }
    CHECK(r.samples[4].watts == Approx(344));
  }
}

SCENARIO("a departure frees capacity so a later arrival fits", "[scheduler][sim][time]") {
  GIVEN("h1's first tenant leaves at 50, before the arrival at 60") {
    const Workload w{{timed("a", 600, 0, std::nullopt), timed("b", 600, 10, 50),
                      timed("c", 600, 60, std::nullopt)}};
    THEN("all three are placed") { CHECK(replay(w).rejected == 0); }
  }
  GIVEN("it never leaves") {
    const Workload w{{timed("a", 600, 0, std::nullopt), timed("b", 600, 10, std::nullopt),
                      timed("c", 600, 60, std::nullopt)}};
    THEN("the third is rejected") { CHECK(replay(w).rejected == 1); }
  }
  GIVEN("it leaves exactly when the next one arrives") {
    const Workload w{{timed("a", 600, 0, std::nullopt), timed("b", 600, 10, 60),
                      timed("c", 600, 60, std::nullopt)}};
    THEN("departures go first at equal times: placed") { CHECK(replay(w).rejected == 0); }
  }
}

TEST_CASE("events: arrival times divided by the load factor, lifetimes kept",
          "[scheduler][sim][time]") {
  const Workload w{{timed("a", 100, 100, 150), timed("b", 100, 40, 40), timed("c", 100, 80, std::nullopt)}};
  const std::vector<TimeEvent> e = time_events(w, 2.0);
  // a: 50 -> 100; b: 20, lives 0 s, departs right after its arrival; c: 40, never departs.
  REQUIRE(e.size() == 5);
  CHECK((e[0].time == 20 && e[0].arrival && e[0].request == 1));
  CHECK((e[1].time == 20 && !e[1].arrival && e[1].request == 1));
  CHECK((e[2].time == 40 && e[2].arrival && e[2].request == 2));
  CHECK((e[3].time == 50 && e[3].arrival && e[3].request == 0));
  CHECK((e[4].time == 100 && !e[4].arrival && e[4].request == 0));
}

TEST_CASE("the time experiment runs every policy x seed; deterministic policies agree across seeds",
          "[scheduler][sim][time]") {
  const auto catalog = ::vgpu::scheduler::vgpu::default_catalog();
  REQUIRE(catalog);
  FractionalMode mode;
  const Workload w{{timed("r0", 600, 0, 100), timed("r1", 600, 10, 50), timed("r2", 600, 20, 500),
                    timed("r3", 600, 60, std::nullopt), timed("r4", 500, 200, 300)}};
  ExperimentOptions options;
  options.policies = {"best-fit", "random"};
  options.seeds = {42, 43, 44};
  const auto runs = run_time_experiment(mode, two_hosts(), w, builtin_policies(), options,
                                        TimeProtocolOptions{1.0, 50}, *catalog,
                                        PowerConfig{100, 0, "A100"});
  REQUIRE(runs.size() == 6);
  const auto summary = summarise_time(runs);
  REQUIRE(summary.size() == 2);
  CHECK(summary[0].policy == "best-fit");
  CHECK(summary[0].runs == 3);
  CHECK(summary[0].acceptance_pct.mean == Approx(80));
  CHECK(summary[0].acceptance_pct.sd == Approx(0));
  CHECK(summary[0].energy_kwh.mean == Approx(48160.0 / 3.6e6));
  CHECK(summary[0].peak_active_hosts.mean == Approx(2));
  CHECK_THROWS_AS(run_time_experiment(mode, two_hosts(), w, builtin_policies(),
                                      ExperimentOptions{{"no-such"}, {42}, 1.3, 0.95, 1},
                                      TimeProtocolOptions{}, *catalog, PowerConfig{}),
                  std::invalid_argument);
}
