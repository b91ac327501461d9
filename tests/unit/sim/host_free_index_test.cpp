// The simulator's pre-filter refuses only trees the search would refuse: worked cases, and the
// same placements with and without it on a small random workload.
#include <catch2/catch.hpp>

#include <random>

#include "scheduler/sim/host_free_index.hpp"
#include "scheduler/sim/policy_registry.hpp"
#include "tests/unit/sim/sim_fixture.hpp"

using namespace ::vgpu::scheduler;
using namespace ::vgpu::scheduler::sim;
using namespace ::vgpu::scheduler::sim::test;

TEST_CASE("host free index: necessary capacity conditions per tree", "[scheduler][sim][prefilter]") {
  FractionalMode mode;
  // h0: 8 vCPU, GPU0 700 used (300 free), GPU1 empty.
  SimCluster c = mode.build(ClusterSpec{{host("h0", 8000, 2)}});
  occupy(c, 0, 0, 700, 4000);
  const HostFreeIndex index(c.state());
  const ProviderId root = c.hosts()[0].root;
  auto fits = [&](const RequestSpec& r) { return index.may_fit(*mode.search_request(c, r), root); };
  CHECK(fits(pod(4000, 300)));
  CHECK(fits(pod(4000, 1000)));
  CHECK_FALSE(fits(pod(4001, 300)));          // CPU: 4000 left
  CHECK_FALSE(fits(pod(1000, 1000, 2)));      // two whole GPUs, one is free
  CHECK_FALSE(fits(pod(1000, 0, 0, 300000)));  // memory: 262144 MiB
}

TEST_CASE("host free index: the same placements with and without it",
          "[scheduler][sim][prefilter]") {
  FractionalMode mode;
  SimCluster with = mode.build(ClusterSpec{
      {host("a", 16000, 2), host("b", 32000, 4), host("c", 8000, 1), host("d", 64000, 8)}});
  SimCluster without = with;
  const NodeModel model = mode.node_model(with);
  const search::Profile plain =
      builtin_policies().build("best-fit", PolicyContext{without, model, nullptr, 1});
  HostFreeIndex index(with.state());
  const search::Profile base =
      builtin_policies().build("best-fit", PolicyContext{with, model, nullptr, 1});
  const search::Profile fast = with_host_free_filter(base, index);  // borrows base's plugins
  std::mt19937_64 rng(7);
  const std::int64_t shares[] = {0, 200, 500, 810, 1000, 1000};
  int placed = 0, failed = 0;
  for (int i = 0; i < 200; ++i) {
    const std::int64_t share = shares[rng() % 6];
    const int gpus = share == 1000 ? static_cast<int>(1 + rng() % 2) : 1;
    const RequestSpec r = pod(static_cast<std::int64_t>(500 + rng() % 4000), share, gpus);
    const auto a = search::CandidateSearch(plain).run(without.state(), *mode.search_request(without, r));
    const auto b = search::CandidateSearch(fast).run(with.state(), *mode.search_request(with, r));
    REQUIRE(a.size() == b.size());
    if (a.empty()) {
      ++failed;
      continue;
    }
    REQUIRE(a.front().allocations == b.front().allocations);
    without.place(a.front());
    with.place(b.front());
    index.refresh(with.state(), b.front().anchor);
    ++placed;
  }
  CHECK(placed > 20);
  CHECK(failed > 20);  // the cluster filled up: the pre-filter had trees to refuse
}
