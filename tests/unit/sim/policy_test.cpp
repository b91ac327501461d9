// The policies as score plugins on hand-made clusters, with the expected choice worked out in
// the comments; and the search's cross-host ranking (Profile::rank_trees) beside its plain order.
#include <catch2/catch.hpp>

#include <map>

#include "scheduler/search/plugins/policy_plugins.hpp"
#include "scheduler/search/registry.hpp"
#include "scheduler/sim/policy_registry.hpp"
#include "tests/unit/sim/sim_fixture.hpp"

using namespace ::vgpu::scheduler;
using namespace ::vgpu::scheduler::sim;
using namespace ::vgpu::scheduler::sim::test;

namespace {

search::Candidate place_with(const std::string& policy, SimCluster& c, const RequestSpec& r,
                             const FgdFragmentation* frag = nullptr, std::uint64_t seed = 1) {
  FractionalMode mode;
  const search::Profile profile =
      builtin_policies().build(policy, PolicyContext{c, mode.node_model(c), frag, seed});
  const auto found = search::CandidateSearch(profile).run(c.state(), *mode.search_request(c, r));
  REQUIRE(found.size() == 1);
  return found.front();
}

TargetWorkload one_shape(std::int64_t cpu, std::int64_t milli) {
  return TargetWorkload{{TargetPod{cpu, milli, 1, {}, 1.0}}};
}

}  // namespace

SCENARIO("best-fit takes the host with the least left after placing, then the tightest GPU",
         "[scheduler][sim][policy]") {
  FractionalMode mode;
  // h0: 64 vCPU, 2 empty GPUs. h1: 64 vCPU with 8 used, GPU0 600 used.
  SimCluster c = mode.build(ClusterSpec{{host("h0", 64000, 2), host("h1", 64000, 2)}});
  occupy(c, 1, 0, 600, 8000);
  WHEN("a pod of 4 vCPU and 300 milli-GPU arrives") {
    // h0: 1 - (0.5 x 60000/128000 + 0.5 x 1700/8000) = 0.659 -> 65
    // h1: 1 - (0.5 x 52000/128000 + 0.5 x 1100/8000) = 0.728 -> 72: h1, and its GPU0 (400
    // left) is the tightest that fits.
    const auto cand = place_with("best-fit", c, pod(4000, 300));
    THEN("it goes to h1's GPU0") { CHECK(choice_of(c, cand) == Choice{1, 0}); }
  }
  WHEN("the pod asks more than GPU0 has left (500)") {
    const auto cand = place_with("best-fit", c, pod(4000, 500));
    THEN("h1 still scores best, on its GPU1") { CHECK(choice_of(c, cand) == Choice{1, 1}); }
  }
}

SCENARIO("FGD takes the GPU and host where the expected fragmentation grows least",
         "[scheduler][sim][policy][fgd]") {
  FractionalMode mode;
  // h0 empty; h1's GPU0 has 200 left. Target workload: pods of 1 vCPU x 500 milli-GPU.
  SimCluster c = mode.build(ClusterSpec{{host("h0", 64000, 2), host("h1", 64000, 2)}});
  occupy(c, 1, 0, 800);
  const FgdFragmentation frag(one_shape(1000, 500), [](std::string_view) { return std::nullopt; });
  WHEN("a 200 milli-GPU pod arrives") {
    // F counts the share on GPUs with less than 500 left. h0: 0 -> 0 either GPU: score
    // trunc(100 sigmoid(0)) = 50. h1 GPU0: 200 -> 0: trunc(100 sigmoid(0.2)) = 54; h1 GPU1:
    // 200 -> 200: 50. Best: h1 GPU0 (plain tie-break would have said h0).
    const auto cand = place_with("fgd", c, pod(1000, 200), &frag);
    THEN("it fills h1's fragment") { CHECK(choice_of(c, cand) == Choice{1, 0}); }
  }
  WHEN("a 300 milli-GPU pod arrives (it does not fit h1's GPU0)") {
    // h0 GPU0: [700,1000] -> F 0: 50. h1 GPU1: [200,700] -> F 200: 50. Tie: the first host.
    const auto cand = place_with("fgd", c, pod(1000, 300), &frag);
    THEN("it goes to h0's GPU0") { CHECK(choice_of(c, cand) == Choice{0, 0}); }
  }
  WHEN("a 600 milli-GPU pod arrives") {
    // h0 GPU0: [400,1000]: F 0 -> 400: trunc(100 sigmoid(-0.4)) = 40.
    // h1 GPU1: [200,400]: F 200 -> 600 (no GPU fits a 500 pod: all share is fragment): 40.
    // Tie at 40: h0.
    const auto cand = place_with("fgd", c, pod(1000, 600), &frag);
    THEN("it goes to h0") { CHECK(choice_of(c, cand) == Choice{0, 0}); }
  }
}

SCENARIO("random draws a host uniformly among those that fit", "[scheduler][sim][policy]") {
  FractionalMode mode;
  // h1 has no CPU left for the pod: it must never be drawn.
  SimCluster c = mode.build(
      ClusterSpec{{host("h0", 64000, 2), host("h1", 2000, 2), host("h2", 64000, 2)}});
  std::map<int, int> drawn;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) ++drawn[choice_of(c, place_with("random", c, pod(4000, 500), nullptr, seed)).host];
  CHECK(drawn[1] == 0);
  CHECK(drawn[0] > 100);  // 150 expected of each
  CHECK(drawn[2] > 100);
}

SCENARIO("whole GPUs go to the first free ones, on distinct GPUs", "[scheduler][sim][policy]") {
  FractionalMode mode;
  SimCluster c = mode.build(ClusterSpec{{host("h0", 64000, 4)}});
  occupy(c, 0, 0, 100);
  for (const char* policy : {"random", "best-fit"}) {
    const auto cand = place_with(policy, c, pod(1000, 1000, 2));
    std::vector<ProviderId> gpus;
    for (const auto& a : cand.allocations)
      if (a.resource_class == *c.class_id(kGpuMilliClass)) gpus.push_back(a.provider);
    CHECK(gpus == std::vector<ProviderId>{c.hosts()[0].gpus[1], c.hosts()[0].gpus[2]});
  }
}

SCENARIO("rank_trees is opt-in: off, a policy's host scores do not reorder trees",
         "[scheduler][search][sim]") {
  FractionalMode mode;
  SimCluster c = mode.build(ClusterSpec{{host("h0", 64000, 2), host("h1", 64000, 2)}});
  occupy(c, 1, 0, 600, 8000);
  search::Profile profile =
      builtin_policies().build("best-fit", PolicyContext{c, mode.node_model(c), nullptr, 1});
  search::SearchRequest r = *mode.search_request(c, pod(4000, 300));
  r.limit = 4;  // each tree gives up to `limit` candidates (one per GPU here)
  WHEN("on (the simulator's profile)") {
    const auto found = search::CandidateSearch(profile).run(c.state(), r);
    THEN("the best host comes first, then the other") {
      REQUIRE(found.size() == 4);
      CHECK(choice_of(c, found[0]) == Choice{1, 0});
      CHECK(choice_of(c, found[1]) == Choice{1, 1});
      CHECK(choice_of(c, found[2]).host == 0);
    }
  }
  WHEN("off") {
    profile.rank_trees = false;
    const auto found = search::CandidateSearch(profile).run(c.state(), r);
    THEN("trees come in root id order, as plain Placement's") {
      REQUIRE(found.size() == 4);
      CHECK(choice_of(c, found[0]).host == 0);
      CHECK(choice_of(c, found[2]).host == 1);
    }
  }
}

TEST_CASE("unknown policies are refused naming the known ones", "[scheduler][sim][policy]") {
  FractionalMode mode;
  SimCluster c = mode.build(ClusterSpec{{host("h0", 1000, 1)}});
  CHECK_THROWS_WITH(builtin_policies().build("worst-fit", PolicyContext{c, {}, nullptr, 1}),
                    "unknown policy 'worst-fit' (known: random, best-fit, fgd, first-fit, spread, "
                    "gpu-packing, fgd-vgpu, ours)");
  CHECK_THROWS_WITH(builtin_policies().build("fgd", PolicyContext{c, {}, nullptr, 1}),
                    "policy 'fgd' needs a target workload (the pod list)");
}
