#include <catch2/catch.hpp>

#include "scheduler/model/cow_map.hpp"

using vgpu::scheduler::CowMap;

SCENARIO("a copied CowMap changes independently of the original", "[scheduler]") {
  GIVEN("a map with 1000 entries") {
    CowMap<int, int> a;
    for (int i = 0; i < 1000; ++i) a.set(i, i * 2);
    REQUIRE(a.size() == 1000);
    WHEN("a copy is changed") {
      CowMap<int, int> b = a;
      b.set(5, -1);
      b.erase(6);
      b.set(5000, 1);
      THEN("the copy sees its changes and the original does not") {
        REQUIRE(*b.find(5) == -1);
        REQUIRE(b.find(6) == nullptr);
        REQUIRE(b.size() == 1000);
        REQUIRE(*a.find(5) == 10);
        REQUIRE(*a.find(6) == 12);
        REQUIRE(a.find(5000) == nullptr);
        REQUIRE(a.size() == 1000);
      }
    }
  }
}
