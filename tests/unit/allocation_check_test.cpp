// Placement's capacity rules on the claim path (scheduler/allocation/claim_check).
#include <catch2/catch.hpp>

#include "scheduler/allocation/claim_changes.hpp"
#include "scheduler/allocation/claim_check.hpp"
#include "tests/unit/allocation_fixture.hpp"

using namespace vgpu::scheduler;
using namespace ::vgpu::scheduler::test;
using allocation::check_claims;
using allocation::Refusal;

namespace {

// The state after committing `claims` (as the store would, minus SQL).
State after(const State& s, const std::vector<allocation::ConsumerClaim>& claims) {
  return s.with_changes(allocation::claim_changes(s, claims, 1));
}

}  // namespace

SCENARIO("a claim must fit the inventory's capacity and unit rules", "[allocation]") {
  const State s = allocation_state();
  GIVEN("an empty host with capacity (8 - 0) * 2 = 16 VCPU and max_unit 4") {
    THEN("a claim within the rules fits") {
      CHECK(check_claims(s, {claim(1, {{kHost, kVcpu, 4}})}).ok());
    }
    THEN("more than max_unit in one allocation violates the constraints") {
      const auto r = check_claims(s, {claim(1, {{kHost, kVcpu, 5}})});
      CHECK(r.refusal == Refusal::kConstraints);
      CHECK(r.providers == std::vector<ProviderId>{kHost});
    }
    THEN("the sum of several consumers' claims counts against capacity") {
      std::vector<allocation::ConsumerClaim> claims;
      for (int i = 1; i <= 4; ++i) claims.push_back(claim(i, {{kHost, kVcpu, 4}}));
      CHECK(check_claims(s, claims).ok());
      claims.push_back(claim(5, {{kHost, kVcpu, 1}}));
      CHECK(check_claims(s, claims).refusal == Refusal::kCapacity);
    }
  }
  GIVEN("storage with reserved 10, min_unit 10 and step_size 10") {
    THEN("amounts off the step or under min_unit are refused") {
      CHECK(check_claims(s, {claim(1, {{kStorage, kDisk, 15}})}).refusal == Refusal::kConstraints);
      CHECK(check_claims(s, {claim(1, {{kStorage, kDisk, 5}})}).refusal == Refusal::kConstraints);
    }
    THEN("reserved is not allocatable") {
      CHECK(check_claims(s, {claim(1, {{kStorage, kDisk, 90}})}).ok());
      CHECK(check_claims(s, {claim(1, {{kStorage, kDisk, 100}})}).refusal == Refusal::kCapacity);
      const State full = after(s, {claim(1, {{kStorage, kDisk, 90}})});
      CHECK(check_claims(full, {claim(2, {{kStorage, kDisk, 10}})}).refusal == Refusal::kCapacity);
    }
  }
  GIVEN("a class the provider has no inventory of") {
    THEN("a provider with none of the request's classes is named with all of them") {
      const auto r = check_claims(s, {claim(1, {{kHost, kVcpu, 1}, {kStorage, kVcpu, 1}})});
      CHECK(r.refusal == Refusal::kNoInventory);
      CHECK(r.providers == std::vector<ProviderId>{kStorage});
    }
    THEN("a provider with some of them is named with the missing class only") {
      const auto r = check_claims(s, {claim(1, {{kHost, kVcpu, 1}, {kHost, kDisk, 10}})});
      CHECK(r.refusal == Refusal::kNoInventory);
      CHECK(r.classes == std::vector<ClassId>{kDisk});
    }
  }
  GIVEN("a host whose capacity a consumer fills") {
    const State full = after(s, {claim(1, {{kHost, kVcpu, 4}}), claim(2, {{kHost, kVcpu, 4}}),
                                 claim(3, {{kHost, kVcpu, 4}}), claim(4, {{kHost, kVcpu, 4}})});
    THEN("another consumer does not fit") {
      CHECK(check_claims(full, {claim(5, {{kHost, kVcpu, 1}})}).refusal == Refusal::kCapacity);
    }
    THEN("the same consumer may replace its own allocation: what it holds is released") {
      CHECK(check_claims(full, {claim(1, {{kHost, kVcpu, 3}})}).ok());
    }
    THEN("moving a consumer's allocation to another consumer fits in one claim") {
      CHECK(check_claims(full, {claim(1, {}), claim(5, {{kHost, kVcpu, 4}})}).ok());
    }
  }
}
