// Capacity per profile (active / standby / licence-bound) and per-host summaries.
#include <catch2/catch.hpp>

#include "scheduler/vgpu/capacity.hpp"
#include "tests/unit/vgpu/vgpu_fixture.hpp"

using namespace ::vgpu::scheduler;
using namespace ::vgpu::scheduler::test;
using ::vgpu::scheduler::vgpu::Edition;
using ::vgpu::scheduler::vgpu::GpuMode;
using ::vgpu::scheduler::vgpu::HostPowerState;

namespace {

// h1 (active): GPU 2 A40 equal-size {4Q, 8Q}, GPU 3 A40 equal-size {4Q}.
// h2 (standby): GPU 11 A40 equal-size {4Q}. h3 (draining): GPU 21 A40 equal-size {4Q}.
Fleet fleet() {
  Fleet f;
  f.host(1, "h1");
  f.gpu(2, "h1", "0000:84:00.0", "A40", GpuMode::equal_size, {"A40-4Q", "A40-8Q"});
  f.gpu(3, "h1", "0000:85:00.0", "A40", GpuMode::equal_size, {"A40-4Q"});
  f.host(10, "h2", HostPowerState::standby);
  f.gpu(11, "h2", "0000:84:00.0", "A40", GpuMode::equal_size, {"A40-4Q"});
  f.host(20, "h3", HostPowerState::draining);
  f.gpu(21, "h3", "0000:84:00.0", "A40", GpuMode::equal_size, {"A40-4Q"});
  return f;
}

const vg::ProfileCapacity& of(const std::vector<vg::ProfileCapacity>& all, vg::ProfileIndex p) {
  auto it = std::find_if(all.begin(), all.end(), [&](const auto& c) { return c.profile == p; });
  REQUIRE(it != all.end());
  return *it;
}

}  // namespace

TEST_CASE("capacity per profile counts free_count on active hosts, standby apart",
          "[scheduler][vgpu][capacity]") {
  Fleet f = fleet();
  const auto q4 = f.profile("A40-4Q");
  const auto q8 = f.profile("A40-8Q");
  {
    const auto all = vg::profile_capacity(f.state, f.config);
    REQUIRE(all.size() == 2);
    // A40-4Q: 12 + 12 on h1; 12 on standby h2; draining h3 not counted.
    CHECK(of(all, q4).free == 24);
    CHECK(of(all, q4).free_standby == 12);
    CHECK(of(all, q4).gpus == 4);
    CHECK_FALSE(of(all, q4).free_seats);
    CHECK(of(all, q4).licence_bound == 24);
    CHECK(of(all, q8).free == 6);
  }
  // 3 x 4Q on GPU 2: it now takes 9 more 4Q and no 8Q (equal-size).
  REQUIRE(f.claim(1, {f.vgpus(2, "A40-4Q", 3)}).ok());
  {
    const auto all = vg::profile_capacity(f.state, f.config);
    CHECK(of(all, q4).free == 21);
    CHECK(of(all, q8).free == 0);
    CHECK(vg::profile_capacity(f.state, f.config, q4).free == 21);
  }
  SECTION("licence-bound: at most the free seats of the edition") {
    f.pools(Edition::rtx_vws, 10, 2);  // 1 used (per VM): 7 free for normal claims
    const auto c = vg::profile_capacity(f.state, f.config, q4);
    REQUIRE(c.free_seats == 7);
    CHECK(c.licence_bound == 7);
  }
  SECTION("B may borrow vWS seats") {
    f.gpu(4, "h1", "0000:86:00.0", "A40", GpuMode::equal_size, {"A40-2B"});
    f.pools(Edition::vpc, 2);
    f.pools(Edition::rtx_vws, 5);
    const auto b = f.profile("A40-2B");
    CHECK(vg::profile_capacity(f.state, f.config, b).licence_bound == 2);
    f.config.licences.b_series_borrows_vws = true;
    CHECK(vg::profile_capacity(f.state, f.config, b).free_seats == 2 + 4);
    CHECK(vg::profile_capacity(f.state, f.config, b).licence_bound == 6);
  }
}

TEST_CASE("host summaries: per GPU used/free per profile and modelled watts",
          "[scheduler][vgpu][capacity]") {
  Fleet f = fleet();
  REQUIRE(f.claim(1, {f.vgpus(2, "A40-4Q", 3)}).ok());
  const auto hosts = vg::summarize_hosts(f.state, f.config);
  REQUIRE(hosts.size() == 3);
  const vg::HostSummary& h1 = hosts[0];
  REQUIRE(h1.host->hostname == "h1");
  REQUIRE(h1.gpus.size() == 2);
  CHECK(h1.vgpus == 3);
  const vg::GpuSummary& g = h1.gpus[0];
  CHECK(g.provider->id == 2);
  REQUIRE(g.profiles.size() == 2);
  CHECK(g.profiles[0].profile == f.profile("A40-4Q"));
  CHECK(g.profiles[0].used == 3);
  CHECK(g.profiles[0].free == 9);
  CHECK(g.profiles[1].used == 0);
  CHECK(g.profiles[1].free == 0);
  // A40 catalog defaults: idle 30 W, busy 300 W; host idle 0 in the fixture.
  CHECK(g.watts == Approx(300));
  CHECK(h1.gpus[1].watts == Approx(30));
  CHECK(h1.watts == Approx(330));
  // h2 in standby draws its standby watts (0 here), its GPU nothing.
  CHECK(hosts[1].watts == Approx(0));
  CHECK(hosts[1].gpus[0].watts == Approx(0));
  CHECK(hosts[2].host->state == HostPowerState::draining);
}

TEST_CASE("capacity of mixed-size GPUs, alike and not", "[scheduler][vgpu][capacity]") {
  Fleet f;
  f.host(1, "h1");
  f.gpu(2, "h1", "0000:84:00.0", "A40", GpuMode::mixed_size, {"A40-8Q", "A40-24Q"});
  f.gpu(3, "h1", "0000:85:00.0", "A40", GpuMode::mixed_size, {"A40-8Q", "A40-24Q"});
  f.gpu(4, "h1", "0000:86:00.0", "A40", GpuMode::mixed_size, {"A40-8Q", "A40-24Q"});
  const auto q8 = f.profile("A40-8Q");
  const auto q24 = f.profile("A40-24Q");
  // Empty: 6 x 8Q or 2 x 24Q each.
  CHECK(vg::profile_capacity(f.state, f.config, q8).free == 18);
  CHECK(vg::profile_capacity(f.state, f.config, q24).free == 6);
  // One 8Q on GPU 2 (48 slots: 8 taken): 5 more 8Q, one 24Q there.
  REQUIRE(f.claim(1, {f.vgpus(2, "A40-8Q", 1)}).ok());
  const auto all = vg::profile_capacity(f.state, f.config);
  CHECK(of(all, q8).free == 17);
  CHECK(of(all, q24).free == 5);
  const auto h = vg::summarize_host(f.state, f.config, *f.state.managed_host("h1"));
  CHECK(h.gpus[0].profiles[1].free == 1);
  CHECK(h.gpus[1].profiles[1].free == 2);
}
