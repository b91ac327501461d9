// The protocol's reuse of tree evaluations (search::TreeMemo, PolicyRegistry::tree_local)
// changes no placement: every tree-local policy, with and without the memo, on small clusters
// filled by a few request shapes repeated (so that the memo is used), until requests fail.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "scheduler/sim/fgd_fragmentation.hpp"
#include "scheduler/sim/policy_registry.hpp"
#include "scheduler/sim/target_workload.hpp"
#include "scheduler/sim/vgpu_mode.hpp"
#include "tests/unit/sim/sim_fixture.hpp"

using namespace ::vgpu::scheduler;
using namespace ::vgpu::scheduler::sim;
using namespace ::vgpu::scheduler::sim::test;

namespace {

std::vector<RequestSpec> repeated_shapes(int n) {
  const std::vector<RequestSpec> shapes = {pod(2000, 125),  pod(4000, 250),   pod(8000, 500),
                                           pod(1000, 1000), pod(6000, 1000, 2), pod(3000, 0),
                                           pod(2000, 460),  pod(12000, 810)};
  std::mt19937_64 rng(11);
  std::vector<RequestSpec> out;
  for (int i = 0; i < n; ++i) out.push_back(shapes[rng() % shapes.size()]);
  return out;
}

// Places `requests` on two copies of `base`, one searched with a TreeMemo and one without, and
// REQUIREs the same candidate every time; returns how many failed. With `departures`, every
// third request first releases the oldest consumer still placed (protocol (b)'s departures).
int same_with_and_without_memo(Mode& mode, const SimCluster& base, const std::string& policy,
                               const std::vector<RequestSpec>& requests, bool departures = false) {
  SimCluster with = base;
  SimCluster without = base;
  const NodeModel model = mode.node_model(base);
  const Workload prepared = mode.prepare(Workload{requests});
  const FgdFragmentation frag(target_workload(prepared),
                              [&](std::string_view m) { return mode.model_trait(base, m); });
  const PolicyRegistry registry = builtin_policies();
  REQUIRE(registry.tree_local(policy));
  const search::Profile profile = registry.build(policy, PolicyContext{base, model, &frag, 1});
  const search::CandidateSearch search(profile);
  search::TreeMemo memo(with.tree_versions());
  int failed = 0;
  std::vector<std::pair<Uuid, Uuid>> placed;  // (with, without), oldest first
  std::size_t gone = 0;
  for (const RequestSpec& r : prepared.requests) {
    if (departures && (&r - prepared.requests.data()) % 3 == 2 && gone < placed.size()) {
      with.release(placed[gone].first);
      without.release(placed[gone].second);
      ++gone;
    }
    const auto request = mode.search_request(with, r);
    if (!request) continue;
    const auto a = search.run(without.state(), *request);
    const auto b = search.run(with.state(), *request, nullptr, &memo);
    REQUIRE(a.size() == b.size());
    if (a.empty()) {
      ++failed;
      continue;
    }
    REQUIRE(a.front().anchor == b.front().anchor);
    REQUIRE(a.front().allocations == b.front().allocations);
    const Uuid out = without.place(a.front());
    placed.emplace_back(with.place(b.front()), out);
  }
  return failed;
}

ClusterSpec six_hosts() {
  return ClusterSpec{{host("a", 16000, 2), host("b", 32000, 4), host("c", 8000, 1),
                      host("d", 64000, 8), host("e", 24000, 2), host("f", 48000, 4)}};
}

}  // namespace

TEST_CASE("tree memo: the same placements with and without it, fractional mode",
          "[scheduler][sim][memo]") {
  FractionalMode mode;
  const SimCluster base = mode.build(six_hosts());
  for (const std::string policy : {"best-fit", "fgd", "first-fit", "spread", "gpu-packing"}) {
    INFO(policy);
    CHECK(same_with_and_without_memo(mode, base, policy, repeated_shapes(150)) > 10);
  }
}

TEST_CASE("tree memo: the same placements with and without it, vGPU modes",
          "[scheduler][sim][memo][vgpu]") {
  for (const VgpuVariant variant : {VgpuVariant::equal_size, VgpuVariant::mig}) {
    VgpuMode mode(VgpuModeOptions{variant, ""});
    const std::vector<RequestSpec> requests = repeated_shapes(150);
    (void)mode.prepare(Workload{requests});  // the mix and rounding before the cluster is built
    const SimCluster base = mode.build(six_hosts());
    for (const std::string policy :
         {"ours", "fgd-vgpu", "best-fit", "fgd", "first-fit", "spread", "gpu-packing"}) {
      INFO(policy);
      CHECK(same_with_and_without_memo(mode, base, policy, requests) > 10);
    }
  }
}

TEST_CASE("tree memo: the same placements with and without it when requests depart",
          "[scheduler][sim][memo][vgpu]") {
  VgpuMode mode;
  const std::vector<RequestSpec> requests = repeated_shapes(200);
  (void)mode.prepare(Workload{requests});
  const SimCluster base = mode.build(six_hosts());
  for (const std::string policy : {"ours", "fgd-vgpu", "best-fit", "spread", "first-fit"}) {
    INFO(policy);
    same_with_and_without_memo(mode, base, policy, requests, true);
  }
}

TEST_CASE("tree memo: random is not tree-local", "[scheduler][sim][memo]") {
  CHECK_FALSE(builtin_policies().tree_local("random"));
}
