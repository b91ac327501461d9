// The vGPU-mode policies on hand-made clusters (A40, equal-size), with each choice worked out
// in the comments; "ours" is checked against the service's own default profile.
#include <catch2/catch.hpp>

#include "scheduler/search/registry.hpp"
#include "tests/unit/sim/vgpu_fixture.hpp"

using namespace ::vgpu::scheduler;
using namespace ::vgpu::scheduler::sim;
using namespace ::vgpu::scheduler::sim::test;

namespace {

Choice choice(const VgpuMode& mode, const SimCluster& c, const std::string& policy,
              const RequestSpec& r, const FgdFragmentation* frag = nullptr) {
  const auto cand = vgpu_search(mode, c, policy, r, frag);
  REQUIRE(cand);
  return vgpu_choice(c, *cand);
}

}  // namespace

SCENARIO("vGPU policies on two hosts: h0 holds an A40-24Q, h1 an A40-6Q",
         "[scheduler][sim][vgpu][policy]") {
  VgpuMode mode;
  // Target workload and request mix: only A40-24Q pods of 1 vCPU.
  const Workload target_pods = mode.prepare(Workload{{vgpu_pod(500)}});
  // h0: GPU0 holds an A40-24Q (500 left), GPU1 empty, 2 vCPUs taken. h1: GPU0 holds an
  // A40-6Q (875 left) with 16 vCPUs, GPU1 empty. Both hosts 64 vCPUs, 256 GiB.
  SimCluster c = mode.build(ClusterSpec{{host("h0", 64000, 2), host("h1", 64000, 2)}});
  vgpu_place_on(mode, c, 0, 0, vgpu_pod(500, 1, 2000));
  vgpu_place_on(mode, c, 1, 0, vgpu_pod(125, 1, 16000));
  REQUIRE(placed_on(mode, c, 0, 0) == std::vector<std::string>{"A40-24Q"});
  REQUIRE(placed_on(mode, c, 1, 0) == std::vector<std::string>{"A40-6Q"});
  const RequestSpec six = vgpu_pod(125);

  WHEN("an A40-6Q arrives") {
    THEN("first-fit: h0 (first by name), GPU1 (GPU0 holds 24Q: equal-size refuses 6Q)") {
      CHECK(choice(mode, c, "first-fit", six) == Choice{0, 1});
    }
    THEN("spread: h0, which has more vCPUs free (62 vs 48) and the same memory") {
      CHECK(choice(mode, c, "spread", six) == Choice{0, 1});
    }
    THEN("gpu-packing: h1 GPU0, a GPU in use that takes it (tier 2 over h0's tier 1)") {
      CHECK(choice(mode, c, "gpu-packing", six) == Choice{1, 0});
    }
    THEN("fgd-vgpu: h1 GPU0, where fragmentation against 24Q pods falls") {
      // F counts share left on GPUs that cannot take a 24Q (or all of it when none can).
      // h0 before: GPU0 (24Q, 500 left) and GPU1 take a 24Q: F = 0. After a 6Q on GPU1: GPU1
      //   holds 6Q (875 left, cannot take 24Q): F = 875; score trunc(100 sigmoid(-0.875)) = 29.
      // h1 before: GPU0 holds 6Q: F = 875; after a second 6Q there: 750 left, F = 750;
      //   score trunc(100 sigmoid(0.125)) = 53. h1 wins, on GPU0 (GPU1 would raise F to 1750).
      const FgdFragmentation frag(target_workload(target_pods),
                                  [&](std::string_view m) { return mode.model_trait(c, m); });
      CHECK(choice(mode, c, "fgd-vgpu", six, &frag) == Choice{1, 0});
    }
    THEN("ours: h1 GPU0 (busy GPU: packing and energy), the service's default profile's choice") {
      CHECK(choice(mode, c, "ours", six) == Choice{1, 0});
      const search::Profile service = search::build_default_profile(&mode.config());
      const auto found = search::CandidateSearch(service).run(c.state(), *mode.search_request(c, six));
      REQUIRE(found.size() == 1);
      CHECK(vgpu_choice(c, found.front()) == Choice{1, 0});
    }
  }
  WHEN("an A40-24Q arrives") {
    THEN("gpu-packing: h0 GPU0 (in use, takes a second 24Q)") {
      CHECK(choice(mode, c, "gpu-packing", vgpu_pod(500)) == Choice{0, 0});
    }
    THEN("first-fit: h0 GPU0 as well") { CHECK(choice(mode, c, "first-fit", vgpu_pod(500)) == Choice{0, 0}); }
  }
  WHEN("a request of two whole GPUs arrives") {
    THEN("it needs two empty GPUs on one host: none has them") {
      CHECK_FALSE(vgpu_search(mode, c, "first-fit", vgpu_pod(1000, 2)));
    }
  }
}

TEST_CASE("fgd-vgpu and ours need a vGPU mode", "[scheduler][sim][vgpu][policy]") {
  FractionalMode fractional;
  const SimCluster c = fractional.build(ClusterSpec{{host("h0", 64000, 1)}});
  const PolicyRegistry r = builtin_policies();
  CHECK_THROWS_AS(r.build("ours", PolicyContext{c, fractional.node_model(c), nullptr, 1}),
                  std::invalid_argument);
  CHECK_NOTHROW(r.build("first-fit", PolicyContext{c, fractional.node_model(c), nullptr, 1}));
}
