#include <catch2/catch.hpp>

#include "scheduler/query/provider_filter.hpp"

using namespace vgpu::scheduler;

TEST_CASE("can_fit applies capacity, usage and unit rules", "[scheduler]") {
  Provider p;
  // capacity (8 - 0) * 2.0 = 16; 10 used -> 6 left; units 2..4 in steps of 2
  p.inventories[0] = Inventory{8, 0, 2, 4, 2, 2.0};
  p.usage[0] = 10;
  struct Case { std::int64_t amount; bool fits; };
  const Case cases[] = {
      {1, false},  // below min_unit
      {2, true},
      {3, false},  // not a multiple of step_size
      {4, true},
      {6, false},  // above max_unit
  };
  for (const auto& c : cases) {
    INFO("amount " << c.amount);
    REQUIRE(can_fit(p, 0, c.amount) == c.fits);
  }
  p.usage[0] = 14;  // 2 left
  REQUIRE(can_fit(p, 0, 2));
  REQUIRE_FALSE(can_fit(p, 0, 4));
  REQUIRE_FALSE(can_fit(p, 1, 1));  // no inventory of class 1
}

TEST_CASE("trait and aggregate rules: all-of any-of lists, and forbidden", "[scheduler]") {
  Provider p;
  p.traits = {1, 2};
  const Uuid agg = *Uuid::parse("11111111-1111-1111-1111-111111111111");
  const Uuid other = *Uuid::parse("22222222-2222-2222-2222-222222222222");
  p.aggregates = {agg};
  REQUIRE(satisfies(p, TraitRule{{{1}, {2, 3}}, {}}));
  REQUIRE_FALSE(satisfies(p, TraitRule{{{3}}, {}}));
  REQUIRE_FALSE(satisfies(p, TraitRule{{}, {2}}));
  REQUIRE(satisfies(p, AggregateRule{{{other, agg}}, {}}));
  REQUIRE_FALSE(satisfies(p, AggregateRule{{{other}}, {}}));
  REQUIRE_FALSE(satisfies(p, AggregateRule{{}, {agg}}));
}
