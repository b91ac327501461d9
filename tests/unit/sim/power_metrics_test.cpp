// The simulator's power model: which catalog board a trace GPU is for power, and a host's
// modelled draw from what is placed on it (the vGPU layer's host_watts), worked out by hand.
#include <catch2/catch.hpp>

#include "scheduler/sim/power_metrics.hpp"
#include "scheduler/vgpu/data/default_catalog.hpp"
#include "tests/unit/sim/sim_fixture.hpp"

using namespace ::vgpu::scheduler;
using namespace ::vgpu::scheduler::sim;
using namespace ::vgpu::scheduler::sim::test;

TEST_CASE("trace GPU models map to catalog boards for power", "[scheduler][sim][power]") {
  const auto catalog = ::vgpu::scheduler::vgpu::default_catalog();
  REQUIRE(catalog);
  struct Row {
    const char* model;
    const char* board;
  };
  // Alibaba models by power class; a catalog board name is itself; anything else the fallback.
  const Row rows[] = {{"G2", "A100"}, {"G3", "A100"},    {"P100", "A100"}, {"V100M16", "A100"},
                      {"V100M32", "A100D"}, {"T4", "L4"}, {"A10", "A30"},   {"A40", "A40"},
                      {"L40S", "L40S"}, {"K80", "H100"}};
  for (const Row& r : rows) {
    INFO(r.model);
    CHECK(power_board(*catalog, r.model, "H100") == r.board);
  }
}

SCENARIO("a host draws nothing asleep, host idle + GPU idle/busy watts awake",
         "[scheduler][sim][power]") {
  const auto catalog = ::vgpu::scheduler::vgpu::default_catalog();
  REQUIRE(catalog);
  FractionalMode mode;
  // Two T4 hosts of 2 GPUs: T4 -> L4, idle 18 W, busy 72 W per GPU. Host idle 100 W.
  SimCluster c = mode.build(ClusterSpec{{host("a", 32000, 2, "T4"), host("b", 32000, 2, "T4")}});
  const ClusterPower power(c, *catalog, PowerConfig{100, 0, "A100"});
  CHECK(power.board_of(0, 1) == "L4");
  GIVEN("nothing placed") {
    const HostReading r = power.read(c, 0);
    THEN("the host is asleep and draws its standby watts (0)") {
      CHECK_FALSE(r.awake);
      CHECK(r.active_gpus == 0);
      CHECK(r.watts == Approx(0));
    }
  }
  GIVEN("a CPU-only pod on host a") {
    occupy(c, 0, 0, 0, 4000);
    const HostReading r = power.read(c, 0);
    THEN("it is awake with both GPUs idle: 100 + 2 x 18 = 136 W") {
      CHECK(r.awake);
      CHECK(r.active_gpus == 0);
      CHECK(r.watts == Approx(136));
    }
  }
  GIVEN("two pods sharing GPU 1 of host b") {
    occupy(c, 1, 1, 300, 1000);
    occupy(c, 1, 1, 500, 1000);
    const HostReading r = power.read(c, 1);
    THEN("one GPU busy, one idle: 100 + 72 + 18 = 190 W (a second pod on a busy GPU adds 0)") {
      CHECK(r.awake);
      CHECK(r.active_gpus == 1);
      CHECK(r.watts == Approx(190));
      CHECK(r.seats == std::array<std::int64_t, ::vgpu::scheduler::vgpu::kEditionCount>{});  // no vGPU: no seat
    }
  }
  GIVEN("a standby draw of 12 W configured") {
    const ClusterPower standby(c, *catalog, PowerConfig{100, 12, "A100"});
    THEN("an empty host draws 12 W") { CHECK(standby.read(c, 0).watts == Approx(12)); }
  }
}
