// The Database contract for consumers and allocations, on every engine: round trip through
// load, consumer generations and duplicate uuids checked in SQL, providers and classes with
// allocations protected by their foreign keys, and concurrent claims on one provider.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <latch>
#include <thread>
#include <vector>

#include "scheduler/allocation/claim_changes.hpp"
#include "tests/store/test_database.hpp"

using namespace vgpu::scheduler;
using namespace ::vgpu::store;
using ::vgpu::store::test::TestDatabase;

namespace {

constexpr std::int64_t kNow = 1700000000;
constexpr ClassId kVcpu = 0;

Uuid uuid_of(int kind, int n) {
  char text[37];
  std::snprintf(text, sizeof text, "%08x-0000-4000-8000-%012x", kind, n);
  return *Uuid::parse(text);
}

// A provider with `vcpus` VCPU, committed; returns its id.
ProviderId create_host(Database& db, int n, std::int64_t vcpus) {
  ChangeSet cs;
  Provider p;
  p.uuid = uuid_of(0xa110c, n);
  p.name = "host-" + std::to_string(n);
  p.inventories[kVcpu] = Inventory{vcpus, 0, 1, vcpus, 1, 1.0};
  cs.add(CreateProvider{p});
  db.commit(cs, kNow);
  return std::get<CreateProvider>(cs.changes[0]).provider.id;
}

allocation::ConsumerClaim claim(int consumer, ProviderId p, std::int64_t vcpus) {
  std::vector<Allocation> a;
  if (vcpus > 0) a.push_back({p, kVcpu, vcpus});
  return {uuid_of(0xc0, consumer), std::move(a), "project", "user", "INSTANCE"};
}

void commit_claims(Database& db, const std::vector<allocation::ConsumerClaim>& claims) {
  ChangeSet cs = allocation::claim_changes(db.load(), claims, kNow);
  db.commit(cs, kNow);
}

template <typename F>
ConflictKind conflict_of(F&& f) {
  try {
    f();
  } catch (const Conflict& c) {
    return c.kind;
  }
  FAIL("expected a Conflict");
  return ConflictKind::kMissing;
}

}  // namespace

SCENARIO("consumers and allocations round-trip through commit and load", "[store]") {
  GIVEN("a host with 8 VCPU and a consumer holding 3") {
    TestDatabase db;
    db->migrate();
    const ProviderId host = create_host(*db, 1, 8);
    commit_claims(*db, {claim(1, host, 3)});

    THEN("load gives the consumer, the derived usage and the bumped provider generation") {
      const State s = db->load();
      const Consumer* c = s.consumer(uuid_of(0xc0, 1));
      REQUIRE(c != nullptr);
      CHECK(c->generation == 1);
      CHECK(c->project_id == "project");
      CHECK(c->consumer_type == "INSTANCE");
      CHECK(c->allocations == std::vector<Allocation>{{host, kVcpu, 3}});
      CHECK(*s.provider(host)->usage.find(kVcpu) == 3);
      CHECK(s.provider(host)->generation == 1);
    }
    WHEN("the consumer is replaced and then emptied") {
      commit_claims(*db, {claim(1, host, 5)});
      CHECK(db->load().consumer(uuid_of(0xc0, 1))->generation == 2);
      commit_claims(*db, {claim(1, host, 0)});
      THEN("it is gone with its allocations") {
        const State s = db->load();
        CHECK(s.consumer(uuid_of(0xc0, 1)) == nullptr);
        CHECK(s.provider(host)->usage.empty());
      }
    }
  }
}

SCENARIO("consumer generations and uuids are checked in SQL", "[store]") {
  GIVEN("a consumer at generation 1") {
    TestDatabase db;
    db->migrate();
    const ProviderId host = create_host(*db, 1, 8);
    const State before = db->load();
    commit_claims(*db, {claim(1, host, 1)});

    THEN("a claim built on the older snapshot (consumer new there) is kDuplicateUuid") {
      Consumer c;
      c.uuid = uuid_of(0xc0, 1);
      c.project_id = c.user_id = "p";
      c.allocations = {{host, kVcpu, 1}};
      ChangeSet cs;
      cs.add(PutConsumer{c, std::nullopt});
      CHECK(conflict_of([&] { db->commit(cs, kNow); }) == ConflictKind::kDuplicateUuid);
    }
    THEN("a stale consumer generation is kGeneration and writes nothing") {
      const State s = db->load();
      Consumer c = *s.consumer(uuid_of(0xc0, 1));
      c.allocations = {{host, kVcpu, 7}};
      ChangeSet cs;
      Provider p = *s.provider(host);
      ++p.generation;
      cs.add(UpdateProvider{p, p.generation - 1, 0u});
      cs.add(PutConsumer{c, 0});
      CHECK(conflict_of([&] { db->commit(cs, kNow); }) == ConflictKind::kGeneration);
      const State after = db->load();
      CHECK(after.provider(host)->generation == s.provider(host)->generation);
      CHECK(*after.provider(host)->usage.find(kVcpu) == 1);
    }
    THEN("deleting at a stale generation is kGeneration") {
      ChangeSet cs;
      const Consumer& c = *db->load().consumer(uuid_of(0xc0, 1));
      cs.add(DeleteConsumer{c.id, c.uuid, 5});
      CHECK(conflict_of([&] { db->commit(cs, kNow); }) == ConflictKind::kGeneration);
    }
    THEN("a claim on the provider built on the older snapshot is kGeneration") {
      ChangeSet cs = allocation::claim_changes(before, {claim(2, host, 1)}, kNow);
      CHECK(conflict_of([&] { db->commit(cs, kNow); }) == ConflictKind::kGeneration);
      CHECK(db->load().consumer(uuid_of(0xc0, 2)) == nullptr);
    }
  }
}

SCENARIO("providers and classes with allocations cannot be removed", "[store]") {
  GIVEN("a custom class allocated from a host") {
    TestDatabase db;
    db->migrate();
    ChangeSet names;
    names.add(AddResourceClass{"CUSTOM_ALLOCATED"});
    db->commit(names, kNow);
    const ClassId cls = std::get<AddResourceClass>(names.changes[0]).id;
    const ProviderId host = create_host(*db, 1, 8);
    {
      State s = db->load();
      Provider p = *s.provider(host);
      p.inventories[cls] = Inventory{4, 0, 1, 4, 1, 1.0};
      ChangeSet cs;
      cs.add(UpdateProvider{p, p.generation, kProviderInventories});
      db->commit(cs, kNow);
    }
    commit_claims(*db, {{uuid_of(0xc0, 1), {{host, cls, 2}}, "p", "u", ""}});
    const State s = db->load();

    THEN("deleting the provider is kInUse") {
      ChangeSet cs;
      cs.add(DeleteProvider{host, s.provider(host)->generation});
      CHECK(conflict_of([&] { db->commit(cs, kNow); }) == ConflictKind::kInUse);
    }
    THEN("removing the class is kInUse") {
      ChangeSet cs;
      cs.add(RemoveResourceClass{cls});
      CHECK(conflict_of([&] { db->commit(cs, kNow); }) == ConflictKind::kInUse);
    }
    THEN("an allocation of a missing class is kMissing") {
      CHECK(conflict_of([&] {
              commit_claims(*db, {{uuid_of(0xc0, 2), {{host, 12345, 1}}, "p", "u", ""}});
            }) == ConflictKind::kMissing);
    }
  }
}

SCENARIO("concurrent claims on one provider", "[store]") {
  GIVEN("a host and 8 claims built on the same snapshot") {
    TestDatabase db;
    db->migrate();
    const ProviderId host = create_host(*db, 1, 8);
    const State start = db->load();
    constexpr int kThreads = 8;
    std::atomic<int> wins{0}, generation_conflicts{0}, other{0};
    std::latch go(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        ChangeSet cs = allocation::claim_changes(start, {claim(t, host, 8)}, kNow);
        go.arrive_and_wait();
        try {
          db->commit(cs, kNow);
          ++wins;
        } catch (const Conflict& c) {
          if (c.kind == ConflictKind::kGeneration) ++generation_conflicts;
        } catch (const std::exception&) {
          ++other;
        }
      });
    }
    for (auto& th : threads) th.join();
    THEN("exactly one is stored: the provider is never over capacity") {
      CHECK(wins == 1);
      CHECK(generation_conflicts == kThreads - 1);
      CHECK(other == 0);
      const State s = db->load();
      CHECK(*s.provider(host)->usage.find(kVcpu) == 8);
      CHECK(s.consumer_count() == 1);
    }
  }
}
