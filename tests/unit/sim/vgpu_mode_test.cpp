// The vGPU modes: the profile mapping, the equal-size rule as the service's own filters enforce
// it in the simulator, the static variant's split and fixed profiles, and MIG's fixed starts.
#include <catch2/catch.hpp>

#include "tests/unit/sim/vgpu_fixture.hpp"

using namespace ::vgpu::scheduler;
using namespace ::vgpu::scheduler::sim;
using namespace ::vgpu::scheduler::sim::test;

TEST_CASE("a share rounds up to the board's 1/8, 1/4, 1/2 or whole-GPU profile",
          "[scheduler][sim][vgpu]") {
  const VgpuMode mode;  // A40, equal-size
  struct Row {
    int num_gpu;
    std::int64_t milli;
    const char* profile;
    std::int64_t units;
  };
  // A40 48 GB: 6 GB = 125, 12 GB = 250, 24 GB = 500, 48 GB = 1000 thousandths.
  const Row rows[] = {{1, 1, "A40-6Q", 125},    {1, 125, "A40-6Q", 125},   {1, 126, "A40-12Q", 250},
                      {1, 250, "A40-12Q", 250}, {1, 251, "A40-24Q", 500},  {1, 500, "A40-24Q", 500},
                      {1, 501, "A40-48Q", 1000}, {1, 1000, "A40-48Q", 1000}, {4, 1000, "A40-48Q", 1000}};
  for (const Row& r : rows) {
    INFO(r.num_gpu << " x " << r.milli);
    const auto p = mode.profile_for(r.num_gpu, r.milli);
    REQUIRE(p);
    CHECK(mode.config().catalog.profile(*p).name == r.profile);
    CHECK(vgpu_profile_units(mode.config().catalog, *p) == r.units);
  }
  CHECK_FALSE(mode.profile_for(0, 0));  // CPU only

  SECTION("prepare() puts the rounded share, the profile and the demand into the workload") {
    VgpuMode m;
    Workload w{{vgpu_pod(300), vgpu_pod(1000, 2), vgpu_pod(0)}};
    w.requests[0].gpu_spec = {"T4"};
    const Workload p = m.prepare(w);
    CHECK(p.requests[0].gpu_milli == 500);
    CHECK(p.requests[0].profile == "A40-24Q");
    CHECK(p.requests[0].gpu_spec.empty());
    CHECK(p.requests[1].gpu_demand_milli() == 2000);
    CHECK(p.requests[2].gpu_demand_milli() == 0);
  }
}

TEST_CASE("MIG: a share rounds up to 1, 2, 3, 4 or 7 compute slices", "[scheduler][sim][vgpu][mig]") {
  const VgpuMode mode(VgpuModeOptions{VgpuVariant::mig, ""});  // A100
  // ceil(7 s / 1000) slices, then the next MIG size: 142 -> 0.994 -> 1; 143 -> 1.001 -> 2;
  // 286 -> 2.002 -> 3; 429 -> 3.003 -> 4; 572 -> 4.004 -> 5 -> 7.
  const std::pair<std::int64_t, const char*> rows[] = {
      {1, "A100-1-5C"},   {142, "A100-1-5C"},  {143, "A100-2-10C"}, {285, "A100-2-10C"},
      {286, "A100-3-20C"}, {428, "A100-3-20C"}, {429, "A100-4-20C"}, {571, "A100-4-20C"},
      {572, "A100-7-40C"}, {1000, "A100-7-40C"}};
  for (const auto& [milli, name] : rows) {
    INFO(milli);
    CHECK(mode.config().catalog.profile(*mode.profile_for(1, milli)).name == name);
  }
  CHECK(vgpu_profile_units(mode.config().catalog, *mode.profile_for(1, 500)) == 4000);
}

TEST_CASE("an unknown board or one without the profiles is refused", "[scheduler][sim][vgpu]") {
  CHECK_THROWS_AS(VgpuMode(VgpuModeOptions{VgpuVariant::equal_size, "A41"}), std::invalid_argument);
  CHECK_THROWS_AS(VgpuMode(VgpuModeOptions{VgpuVariant::mig, "A40"}), std::invalid_argument);
}

SCENARIO("equal-size rule in the simulator: a GPU holding one profile refuses another",
         "[scheduler][sim][vgpu]") {
  const VgpuMode mode;
  SimCluster c = mode.build(ClusterSpec{{host("h0", 64000, 1)}});
  REQUIRE(c.state().managed_host_count() == 1);
  GIVEN("an A40-6Q on the only GPU") {
    vgpu_place(mode, c, vgpu_pod(100));
    CHECK(placed_on(mode, c, 0, 0) == std::vector<std::string>{"A40-6Q"});
    THEN("an A40-12Q request finds nothing") {
      CHECK_FALSE(vgpu_search(mode, c, "first-fit", vgpu_pod(200)));
      CHECK_FALSE(vgpu_search(mode, c, "best-fit", vgpu_pod(200)));
    }
    THEN("seven more A40-6Q fit, the ninth does not") {
      for (int i = 0; i < 7; ++i) vgpu_place(mode, c, vgpu_pod(125));
      CHECK(placed_on(mode, c, 0, 0).size() == 8);
      CHECK_FALSE(vgpu_search(mode, c, "first-fit", vgpu_pod(125)));
    }
    THEN("once it leaves, the GPU takes an A40-12Q") {
      // Release the one consumer the state holds.
      std::optional<Uuid> only;
      c.state().for_each_consumer([&](const Consumer& k) { only = k.uuid; });
      REQUIRE(only);
      c.release(*only);
      CHECK(placed_on(mode, c, 0, 0).empty());
      CHECK(vgpu_search(mode, c, "first-fit", vgpu_pod(200)));
    }
  }
}

TEST_CASE("static split: GPUs per profile follow the demand, largest remainders",
          "[scheduler][sim][vgpu][static]") {
  struct Row {
    std::vector<std::int64_t> demand;
    int gpus;
    std::vector<int> split;
  };
  const Row rows[] = {
      {{125, 250, 500, 1000}, 15, {1, 2, 4, 8}},  // exact
      {{0, 0, 0, 1000}, 4, {0, 0, 0, 4}},
      {{1, 1, 1, 0}, 4, {1, 1, 2, 0}},  // 1.33 each: the remainder to the larger profile
      {{1, 0, 0, 999}, 10, {1, 0, 0, 9}},  // 0.01 GPU of demand still gets a GPU
      {{0, 0, 0, 0}, 6, {2, 2, 1, 1}},  // nothing known: equal
  };
  for (const Row& r : rows) CHECK(VgpuMode::static_split(r.demand, r.gpus) == r.split);
}

SCENARIO("static variant: each GPU supports one profile fixed from the demand mix",
         "[scheduler][sim][vgpu][static]") {
  VgpuMode mode(VgpuModeOptions{VgpuVariant::static_profiles, ""});
  // Demand: one 6Q (125) and one 12Q (250): 3 GPUs split 1 : 2, dealt to the profile furthest
  // below its share: GPU0 12Q (2/3 vs 1/3), GPU1 6Q, GPU2 12Q.
  mode.prepare(Workload{{vgpu_pod(100), vgpu_pod(250)}});
  SimCluster c = mode.build(ClusterSpec{{host("h0", 64000, 3)}});
  const Provider* root = c.state().provider(c.hosts()[0].root);
  std::vector<std::string> fixed;
  for (ProviderId g : root->children) {
    const ManagedGpu* m = c.state().managed_gpu(g);
    REQUIRE(m);
    REQUIRE(m->gpu.supported.size() == 1);
    fixed.push_back(mode.config().catalog.profile(m->gpu.supported.front()).name);
  }
  CHECK(fixed == std::vector<std::string>{"A40-12Q", "A40-6Q", "A40-12Q"});
  THEN("a 6Q goes to GPU1 even with first-fit, and an A40-24Q fits nowhere") {
    const auto six = vgpu_search(mode, c, "first-fit", vgpu_pod(125));
    REQUIRE(six);
    CHECK(vgpu_choice(c, *six) == Choice{0, 1});
    CHECK_FALSE(vgpu_search(mode, c, "first-fit", vgpu_pod(500)));
  }
  THEN("the 6Q GPU is full after eight, then a 6Q fails though 12Q GPUs are empty") {
    for (int i = 0; i < 8; ++i) vgpu_place(mode, c, vgpu_pod(125));
    CHECK_FALSE(vgpu_search(mode, c, "best-fit", vgpu_pod(125)));
    CHECK(vgpu_search(mode, c, "best-fit", vgpu_pod(250)));
  }
}

SCENARIO("MIG: the fixed starts decide what fits on one A100", "[scheduler][sim][vgpu][mig]") {
  const VgpuMode mode(VgpuModeOptions{VgpuVariant::mig, ""});
  SimCluster c = mode.build(ClusterSpec{{host("h0", 64000, 1)}});
  // 4g.20gb may only start at memory slice 0; 3g.20gb at 0 or 4.
  WHEN("a 4g is placed") {
    vgpu_place(mode, c, vgpu_pod(500));  // 3.5 slices -> 4g
    CHECK(placed_on(mode, c, 0, 0) == std::vector<std::string>{"A100-4-20C"});
    THEN("a second 4g does not fit (its only start is taken)") {
      CHECK_FALSE(vgpu_search(mode, c, "first-fit", vgpu_pod(500)));
    }
    THEN("a 3g fits (at slice 4), then nothing more") {
      vgpu_place(mode, c, vgpu_pod(400));  // 2.8 -> 3g
      CHECK(placed_on(mode, c, 0, 0).size() == 2);
      CHECK_FALSE(vgpu_search(mode, c, "first-fit", vgpu_pod(100)));
    }
  }
  WHEN("a 3g is placed first") {
    vgpu_place(mode, c, vgpu_pod(400));
    THEN("a 4g still fits") { CHECK(vgpu_search(mode, c, "first-fit", vgpu_pod(500))); }
  }
}
