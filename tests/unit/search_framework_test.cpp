#include <chrono>

#include <catch2/catch.hpp>

#include "search_fixture.hpp"

using namespace vgpu::scheduler;
using namespace ::vgpu::scheduler::search;
using namespace ::vgpu::scheduler::test;
using V = std::vector<std::string>;

SCENARIO("the unnumbered group spreads over one tree, fullest provider first", "[scheduler]") {
  GIVEN("a host (VCPU 8) with two pGPUs: 1 has VGPU 4 free, 2 has 2 of 4 used") {
    const State s = TreeBuilder()
                        .provider(1).inventory(kVcpuClass, 8)
                        .provider(2, 1).inventory(kVgpuClass, 4)
                        .provider(3, 1).inventory(kVgpuClass, 4, 2)
                        .build();
    SearchRequest r;
    r.groups = {group("", {{kVcpuClass, 1}, {kVgpuClass, 1}})};
    WHEN("VCPU:1,VGPU:1 is asked") {
      const auto cs = run_search(s, r);
      THEN("both pGPUs qualify; pGPU 3 first ((2+1)/4 = 75% vs 1/4 = 25%)") {
        REQUIRE(describe_all(cs) == V{"1:0:1 3:9:1", "1:0:1 2:9:1"});
        REQUIRE(cs[0].mappings == std::vector<std::vector<ProviderId>>{{1, 3}});
      }
    }
    WHEN("the client predates nested providers (< 1.29)") {
      r.nested_aware = false;
      THEN("no candidate may use two providers of the tree") { REQUIRE(run_search(s, r).empty()); }
    }
    WHEN("limit is 1") {
      r.limit = 1;
      THEN("only the best comes back") { REQUIRE(describe_all(run_search(s, r)) == V{"1:0:1 3:9:1"}); }
    }
  }
}

SCENARIO("numbered groups: isolate, none, and amounts added up", "[scheduler]") {
  GIVEN("a host with two pGPUs, VGPU 1 free on each") {
    const State s = TreeBuilder()
                        .provider(1).inventory(kVcpuClass, 8)
                        .provider(2, 1).inventory(kVgpuClass, 1)
                        .provider(3, 1).inventory(kVgpuClass, 2, 1)
                        .build();
    SearchRequest r;
    r.groups = {group("1", {{kVgpuClass, 1}}), group("2", {{kVgpuClass, 1}})};
    THEN("group_policy=none: (2,3) and (3,2); (2,2) and (3,3) would need 2 VGPU on one pGPU") {
      // pGPU 3 scores 100 (1+1 of 2), pGPU 2 scores 100 (1 of 1): tie, lower id first.
      const auto cs = run_search(s, r);
      REQUIRE(cs.size() == 2);
      REQUIRE(cs[0].mappings == std::vector<std::vector<ProviderId>>{{2}, {3}});
      REQUIRE(cs[1].mappings == std::vector<std::vector<ProviderId>>{{3}, {2}});
    }
    AND_GIVEN("room for two on pGPU 3") {
      const State s2 = TreeBuilder()
                           .provider(1).inventory(kVcpuClass, 8)
                           .provider(3, 1).inventory(kVgpuClass, 4)
                           .build();
      THEN("none allows both groups on it, summed: 3:VGPU:2") {
        REQUIRE(describe_all(run_search(s2, r)) == V{"3:9:2"});
      }
      THEN("isolate forbids it") {
        r.isolate = true;
        REQUIRE(run_search(s2, r).empty());
      }
    }
  }
}

SCENARIO("two isolated VGPU groups over 8 pGPUs: 56 ordered pairs, or stop at limit", "[scheduler]") {
  TreeBuilder b;
  b.provider(1).inventory(kVcpuClass, 8);
  for (int g = 0; g < 8; ++g) b.provider(10 + g, 1).inventory(kVgpuClass, 4);
  const State s = b.build();
  SearchRequest r;
  r.isolate = true;
  r.groups = {group("", {{kVcpuClass, 1}}), group("1", {{kVgpuClass, 1}}), group("2", {{kVgpuClass, 1}})};
  REQUIRE(run_search(s, r).size() == 56);  // 8 * 7
  r.limit = 3;
  const auto cs = run_search(s, r);
  REQUIRE(cs.size() == 3);
  REQUIRE(cs[0].mappings == std::vector<std::vector<ProviderId>>{{1}, {10}, {11}});
}

SCENARIO("sharing providers serve the trees that share an aggregate with them", "[scheduler]") {
  GIVEN("hosts 1 and 2 in aggregate 1 with storage 3 (shares), host 4 outside") {
    const State s = TreeBuilder()
                        .provider(1).inventory(kVcpuClass, 8).aggregate(1)
                        .provider(2).inventory(kVcpuClass, 8).aggregate(1)
                        .provider(3).inventory(kDiskClass, 100).trait(kSharesTrait).aggregate(1)
                        .provider(4).inventory(kVcpuClass, 8).inventory(kDiskClass, 100)
                        .build();
    SearchRequest r;
    THEN("VCPU+DISK: 1 and 2 with the shared disk, 4 on its own") {
      r.groups = {group("", {{kVcpuClass, 1}, {kDiskClass, 10}})};
      REQUIRE(describe_all(run_search(s, r)) == V{"1:0:1 3:2:10", "2:0:1 3:2:10", "4:0:1 4:2:10"});
    }
    THEN("DISK alone: the sharing provider once, though three trees could anchor it") {
      r.groups = {group("", {{kDiskClass, 10}})};
      REQUIRE(describe_all(run_search(s, r)) == V{"3:2:10", "4:2:10"});
    }
    THEN("in_tree excludes sharing providers from the unnumbered group") {
      r.groups = {group("", {{kVcpuClass, 1}, {kDiskClass, 10}})};
      r.groups[0].in_tree_root = 1;
      REQUIRE(run_search(s, r).empty());
    }
  }
}

SCENARIO("request-wide rules: root_required, same_subtree, traits together", "[scheduler]") {
  // 1 (GOLD) -> 2 (NUMA, SILVER) -> 3 (VGPU); 1 -> 4 (VGPU). Host 5 (no traits) -> 6 (VGPU).
  const State s = TreeBuilder()
                      .provider(1).inventory(kVcpuClass, 8).trait(kGoldTrait)
                      .provider(2, 1).trait(kSilverTrait)
                      .provider(3, 2).inventory(kVgpuClass, 4)
                      .provider(4, 1).inventory(kVgpuClass, 4)
                      .provider(5).inventory(kVcpuClass, 8)
                      .provider(6, 5).inventory(kVgpuClass, 4)
                      .build();
  SearchRequest r;
  r.groups = {group("", {{kVcpuClass, 1}}), group("1", {{kVgpuClass, 1}})};
  THEN("root_required=CUSTOM_GOLD keeps host 1 only") {
    r.root_required.required_any = {{kGoldTrait}};
    REQUIRE(describe_all(run_search(s, r)) == V{"1:0:1 3:9:1", "1:0:1 4:9:1"});
  }
  THEN("same_subtree=_NUMA,1 with a resourceless SILVER group: the pGPU under the NUMA node") {
    auto numa = group("_NUMA", {});
    numa.traits.required_any = {{kSilverTrait}};
    r.groups.push_back(numa);
    r.same_subtree = {{1, 2}};
    const auto cs = run_search(s, r);
    REQUIRE(describe_all(cs) == V{"1:0:1 3:9:1"});
    REQUIRE(cs[0].mappings == std::vector<std::vector<ProviderId>>{{1}, {3}, {2}});
  }
  THEN("the unnumbered group's traits may come from any of its providers") {
    r.groups = {group("", {{kVcpuClass, 1}, {kVgpuClass, 1}})};
    r.groups[0].traits.required_any = {{kGoldTrait}};
    // GOLD is on the root, which serves VCPU: hosts 1 qualifies twice, host 5 not at all.
    REQUIRE(describe_all(run_search(s, r)) == V{"1:0:1 3:9:1", "1:0:1 4:9:1"});
    r.groups[0].traits.forbidden = {kGoldTrait};
    r.groups[0].traits.required_any.clear();
    REQUIRE(describe_all(run_search(s, r)).empty() == false);
    REQUIRE(describe_all(run_search(s, r)) == V{"5:0:1 6:9:1"});
  }
}

SCENARIO("the search stops at limit: 2,000 hosts of 8 pGPUs, two isolated groups", "[scheduler]") {
  TreeBuilder b;
  ProviderId id = 1;
  for (int h = 0; h < 2000; ++h) {
    const ProviderId host = id++;
    b.provider(host).inventory(kVcpuClass, 64);
    for (int g = 0; g < 8; ++g) b.provider(id++, host).inventory(kVgpuClass, 4);
  }
  const State s = b.build();
  SearchRequest r;
  r.isolate = true;
  r.groups = {group("", {{kVcpuClass, 1}}), group("1", {{kVgpuClass, 1}}), group("2", {{kVgpuClass, 1}})};
  r.limit = 10;
  REQUIRE(run_search(s, r).size() == 10);
  r.limit.reset();
  REQUIRE(run_search(s, r).size() == 2000u * 56u);
}

SCENARIO("randomised order is a permutation of the ranked one", "[scheduler]") {
  TreeBuilder b;
  for (ProviderId h = 1; h <= 20; ++h) b.provider(h).inventory(kVcpuClass, 8);
  const State s = b.build();
  SearchRequest r;
  r.groups = {group("", {{kVcpuClass, 1}})};
  auto ranked = describe_all(run_search(s, r));
  r.randomize = true;
  r.seed = 42;
  auto shuffled = describe_all(run_search(s, r));
  REQUIRE(shuffled != ranked);
  std::sort(ranked.begin(), ranked.end());
  std::sort(shuffled.begin(), shuffled.end());
  REQUIRE(shuffled == ranked);
}
