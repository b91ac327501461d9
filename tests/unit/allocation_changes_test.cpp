// What a claim becomes in the snapshot: consumers, derived usage, provider generation bumps.
#include <catch2/catch.hpp>

#include "scheduler/allocation/claim_changes.hpp"
#include "tests/unit/allocation_fixture.hpp"

using namespace vgpu::scheduler;
using namespace ::vgpu::scheduler::test;
using allocation::claim_changes;

namespace {

template <typename T>
std::size_t count_of(const ChangeSet& cs) {
  std::size_t n = 0;
  for (const Change& c : cs.changes) n += std::holds_alternative<T>(c);
  return n;
}

std::int64_t used(const State& s, ProviderId p, ClassId c) {
  const std::int64_t* u = s.provider(p)->usage.find(c);
  return u ? *u : 0;
}

}  // namespace

SCENARIO("a claim creates, replaces and releases a consumer's allocations", "[allocation]") {
  const State s0 = allocation_state();
  GIVEN("a new consumer claiming on both providers") {
    const ChangeSet cs =
        claim_changes(s0, {claim(1, {{kHost, kVcpu, 2}, {kStorage, kDisk, 20}})}, 100);
    THEN("it is put as new and both providers get a generation bump, providers first") {
      REQUIRE(cs.changes.size() == 3);
      CHECK(std::holds_alternative<UpdateProvider>(cs.changes[0]));
      CHECK(std::holds_alternative<UpdateProvider>(cs.changes[1]));
      const auto& put = std::get<PutConsumer>(cs.changes[2]);
      CHECK_FALSE(put.expected_generation.has_value());
      CHECK(put.consumer.generation == 1);
      CHECK(std::get<UpdateProvider>(cs.changes[0]).parts == 0u);
    }
    const State s1 = s0.with_changes(cs);
    THEN("usage is derived and the older snapshot is untouched") {
      CHECK(used(s1, kHost, kVcpu) == 2);
      CHECK(used(s1, kStorage, kDisk) == 20);
      CHECK(s1.provider(kHost)->generation == 1);
      CHECK(s1.provider(kHost)->consumers == std::vector<Uuid>{uuid_of(1)});
      CHECK(s0.provider(kHost)->usage.empty());
      CHECK(s0.consumer(uuid_of(1)) == nullptr);
    }
    AND_WHEN("the consumer moves off the storage provider") {
      const ChangeSet move = claim_changes(s1, {claim(1, {{kHost, kVcpu, 3}})}, 200);
      const State s2 = s1.with_changes(move);
      THEN("its generation is checked and bumped, and the old usage is released") {
        CHECK(std::get<PutConsumer>(move.changes.back()).expected_generation == 1);
        CHECK(s2.consumer(uuid_of(1))->generation == 2);
        CHECK(used(s2, kHost, kVcpu) == 3);
        CHECK(s2.provider(kStorage)->usage.empty());
        CHECK(s2.provider(kStorage)->consumers.empty());
      }
    }
    AND_WHEN("the consumer's allocations are emptied") {
      const ChangeSet empty = claim_changes(s1, {claim(1, {})}, 200);
      const State s2 = s1.with_changes(empty);
      THEN("the consumer is deleted and the providers it held are bumped") {
        CHECK(count_of<DeleteConsumer>(empty) == 1);
        CHECK(count_of<UpdateProvider>(empty) == 2);
        CHECK(s2.consumer(uuid_of(1)) == nullptr);
        CHECK(s2.provider(kHost)->usage.empty());
      }
    }
    AND_WHEN("the state is rebuilt from its consumers, as at load") {
      State loaded = allocation_state();
      loaded.load_consumer(*s1.consumer(uuid_of(1)));
      loaded.derive_usage();
      THEN("usage is the same as when applied change by change") {
        CHECK(loaded.provider(kHost)->usage == s1.provider(kHost)->usage);
        CHECK(loaded.provider(kStorage)->usage == s1.provider(kStorage)->usage);
        CHECK(loaded.provider(kStorage)->consumers == s1.provider(kStorage)->consumers);
      }
    }
  }
  GIVEN("an empty claim for a consumer that holds nothing") {
    THEN("nothing is written") { CHECK(claim_changes(s0, {claim(9, {})}, 1).empty()); }
  }
  GIVEN("two consumers on one provider in one claim") {
    const ChangeSet cs =
        claim_changes(s0, {claim(1, {{kHost, kVcpu, 1}}), claim(2, {{kHost, kVcpu, 1}})}, 1);
    THEN("the provider is bumped once") { CHECK(count_of<UpdateProvider>(cs) == 1); }
  }
}
