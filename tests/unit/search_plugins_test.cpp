#include <catch2/catch.hpp>

#include "scheduler/search/plugins/plugins.hpp"
#include "search_fixture.hpp"

using namespace vgpu::scheduler;
using namespace ::vgpu::scheduler::search;
using namespace ::vgpu::scheduler::test;

namespace {

// A host 1 (GOLD, aggregate 1) with child 2 (VGPU 4, 3 used), a sharing storage 3 in
// aggregate 1 and a sharing storage 4 in aggregate 2.
State small_state() {
  return TreeBuilder()
      .provider(1).inventory(kVcpuClass, 8).trait(kGoldTrait).aggregate(1)
      .provider(2, 1).inventory(kVgpuClass, 4, 3)
      .provider(3).inventory(kDiskClass, 100).trait(kSharesTrait).aggregate(1)
      .provider(4).inventory(kDiskClass, 100).trait(kSharesTrait).aggregate(2)
      .build();
}

struct Fixture {
  State state = small_state();
  SearchRequest request;
  Fixture(std::vector<GroupRequest> groups) { request.groups = std::move(groups); }
  Status filter(const FilterPlugin& f, ProviderId p, bool shared = false, std::size_t slot = 0) {
    const SearchContext ctx(state, request);
    const Slot& s = ctx.slots()[slot];
    return f.filter(ctx, {s, ctx.group(s), *state.provider(1), *state.provider(p), shared});
  }
};

}  // namespace

TEST_CASE("CapacityFit: free capacity and unit rules per slot", "[scheduler]") {
  const auto plugin = make_capacity_fit();
  Fixture one({group("1", {{kVgpuClass, 1}})});
  REQUIRE(one.filter(*plugin, 2).ok);         // 3 used + 1 <= 4
  Fixture two({group("1", {{kVgpuClass, 2}})});
  REQUIRE_FALSE(two.filter(*plugin, 2).ok);   // 3 + 2 > 4
  REQUIRE_FALSE(two.filter(*plugin, 1).ok);   // no VGPU inventory on the host
}

TEST_CASE("ProviderTraits: numbered groups on the provider, unnumbered only forbidden", "[scheduler]") {
  const auto plugin = make_provider_traits();
  auto numbered = group("1", {{kVcpuClass, 1}});
  numbered.traits.required_any = {{kGoldTrait}};
  Fixture f({numbered});
  REQUIRE(f.filter(*plugin, 1).ok);
  REQUIRE_FALSE(f.filter(*plugin, 2).ok);
  auto unnumbered = group("", {{kVgpuClass, 1}});
  unnumbered.traits.required_any = {{kGoldTrait}};  // collectively: GroupTraits' job
  Fixture u({unnumbered});
  REQUIRE(u.filter(*plugin, 2).ok);
  u.request.groups[0].traits.forbidden = {kGoldTrait};
  REQUIRE_FALSE(u.filter(*plugin, 1).ok);
}

TEST_CASE("Aggregates: the root's aggregate spans its tree for the unnumbered group", "[scheduler]") {
  const auto plugin = make_aggregates();
  auto g = group("", {{kVgpuClass, 1}});
  g.aggregates.member_of_any = {{test_uuid(1001)}};
  Fixture u({g});
  REQUIRE(u.filter(*plugin, 2).ok);  // child 2 is in no aggregate, its root is
  REQUIRE(u.filter(*plugin, 3, true).ok);
  REQUIRE_FALSE(u.filter(*plugin, 4, true).ok);  // a guest must be in the aggregate itself
  auto n = g;
  n.suffix = "1";
  n.same_provider = true;
  Fixture f({n});
  REQUIRE_FALSE(f.filter(*plugin, 2).ok);  // a numbered group's provider must be in it itself
  u.request.groups[0].aggregates = {{}, {test_uuid(1001)}};
  REQUIRE_FALSE(u.filter(*plugin, 2).ok);  // forbidden through the root
}

TEST_CASE("InTree and RootRequired", "[scheduler]") {
  const auto in_tree = make_in_tree();
  auto g = group("", {{kDiskClass, 1}});
  g.in_tree_root = 3;
  Fixture f({g});
  REQUIRE(f.filter(*in_tree, 3, false).ok);
  REQUIRE_FALSE(f.filter(*in_tree, 3, true).ok);  // as a guest of tree 1: excluded
  REQUIRE_FALSE(f.filter(*in_tree, 2).ok);
  const auto root_required = make_root_required();
  f.request.root_required.forbidden = {kGoldTrait};
  const SearchContext ctx(f.state, f.request);
  REQUIRE_FALSE(root_required->filter_anchor(ctx, *f.state.provider(1)).ok);
  REQUIRE(root_required->filter_anchor(ctx, *f.state.provider(3)).ok);
}

TEST_CASE("permits: isolate, combined capacity, one provider per tree before 1.29", "[scheduler]") {
  Fixture f({group("1", {{kVgpuClass, 1}}), group("2", {{kVgpuClass, 1}})});
  const SearchContext ctx(f.state, f.request);
  const Provider& gpu = *f.state.provider(2);
  PartialCandidate partial{*f.state.provider(1), {&gpu}};
  // 3 used + 1 + 1 > 4
  REQUIRE_FALSE(make_combined_capacity()->permit(ctx, partial, 1, gpu).ok);
  REQUIRE(make_isolate()->permit(ctx, partial, 1, gpu).ok);  // policy none
  f.request.isolate = true;
  REQUIRE_FALSE(make_isolate()->permit(ctx, partial, 1, gpu).ok);
  f.request.nested_aware = false;
  const Provider& host = *f.state.provider(1);
  REQUIRE_FALSE(make_one_per_tree()->permit(ctx, partial, 1, host).ok);
  REQUIRE(make_one_per_tree()->permit(ctx, partial, 1, *f.state.provider(3)).ok);
}

TEST_CASE("MostAllocated: (used + amount) / capacity, in percent", "[scheduler]") {
  Fixture f({group("1", {{kVgpuClass, 1}})});
  const SearchContext ctx(f.state, f.request);
  const Slot& s = ctx.slots()[0];
  const auto plugin = make_most_allocated();
  // (3 + 1) / 4 = 100
  REQUIRE(plugin->score(ctx, {s, ctx.group(s), *f.state.provider(1), *f.state.provider(2), false}) == 100);
}

TEST_CASE("profiles: unknown plugin names and bad weights are refused by name", "[scheduler]") {
  ProfileConfig c = default_profile_config();
  c.filters.push_back("Nope");
  REQUIRE_THROWS_WITH(build_profile(c), "filters: unknown plugin 'Nope'");
  c = default_profile_config();
  c.scores = {{"MostAllocated", 0}};
  REQUIRE_THROWS_WITH(build_profile(c), "scores.MostAllocated: weight must be 1..100, got 0");
}
