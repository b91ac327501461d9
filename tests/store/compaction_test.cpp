// CachedStore compaction (cached_store.hpp), on every engine: a rebuilt snapshot is published
// with every commit that landed while it was being built, none lost and none applied twice,
// and the result is what the database holds.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "service/store/cached_store.hpp"
#include "tests/store/test_database.hpp"

using namespace vgpu::scheduler;
using namespace ::vgpu::store;
using ::vgpu::store::test::TestDatabase;

namespace {

constexpr ClassId kVcpu = 0;

Uuid uuid_of(int kind, int n) {
  char text[37];
  std::snprintf(text, sizeof text, "%08x-0000-4000-8000-%012x", kind, n);
  return *Uuid::parse(text);
}

// A claim of one VCPU on provider `p` by a new consumer `n`, as the API writes it.
ChangeSet claim(const State& s, ProviderId p, int n) {
  ChangeSet cs;
  Provider bumped = *s.provider(p);
  const std::int64_t expected = bumped.generation;
  bumped.generation = expected + 1;
  cs.add(UpdateProvider{bumped, expected, 0});
  Consumer c;
  c.uuid = uuid_of(0xc0, n);
  c.project_id = "p";
  c.user_id = "u";
  c.generation = 1;
  c.allocations = {{p, kVcpu, 1}};
  cs.add(PutConsumer{c, std::nullopt, {}});
  return cs;
}

void require_same_content(const State& a, const State& b) {
  REQUIRE(a.provider_count() == b.provider_count());
  for (const Provider* p : a.providers()) {
    const Provider* q = b.provider(p->uuid);
    REQUIRE(q != nullptr);
    CHECK(q->generation == p->generation);
    CHECK(q->usage == p->usage);
    CHECK(q->consumers == p->consumers);
  }
  REQUIRE(a.consumer_count() == b.consumer_count());
  a.for_each_consumer([&](const Consumer& c) {
    const Consumer* d = b.consumer(c.uuid);
    REQUIRE(d != nullptr);
    CHECK(d->allocations == c.allocations);
  });
}

}  // namespace

SCENARIO("compaction while claims commit loses no write", "[store][compaction]") {
  GIVEN("a store with 20 providers") {
    TestDatabase db;
    db->migrate();
    CachedStore store(db.release());
    std::vector<ProviderId> ids;
    for (int i = 0; i < 20; ++i) {
      ChangeSet cs;
      Provider p;
      p.uuid = uuid_of(0x9a, i);
      p.name = "compact-" + std::to_string(i);
      p.inventories[kVcpu] = Inventory{100000, 0, 1, 100000, 1, 1.0};
      cs.add(CreateProvider{p});
      store.commit(cs);
      ids.push_back(std::get<CreateProvider>(cs.changes[0]).provider.id);
    }
    WHEN("one thread claims while another compacts again and again") {
      std::atomic<bool> done{false};
      std::atomic<int> claimed{0};
      std::thread writer([&] {
        for (int n = 0; n < 400; ++n) {
          ChangeSet cs = claim(*store.snapshot(), ids[n % ids.size()], n);
          store.commit(cs);
          ++claimed;
        }
        done = true;
      });
      int published = 0;
      while (!done) published += store.compact() ? 1 : 0;
      writer.join();
      published += store.compact() ? 1 : 0;
      THEN("every claim is in the snapshot, as in the database") {
        REQUIRE(claimed == 400);
        CHECK(published > 0);
        CHECK(store.compactions() >= static_cast<std::uint64_t>(published));
        const auto s = store.snapshot();
        CHECK(s->consumer_count() == 400);
        std::int64_t used = 0;
        for (ProviderId id : ids) {
          const std::int64_t* u = s->provider(id)->usage.find(kVcpu);
          used += u ? *u : 0;
          CHECK(s->provider(id)->generation == 20);  // 400 claims over 20 providers
        }
        CHECK(used == 400);
        require_same_content(*s, store.database().load());
      }
    }
  }
}

SCENARIO("the compactor rebuilds the snapshot once writes pause after a burst",
         "[store][compaction]") {
  GIVEN("a store that took a burst of 1,000 claims") {
    TestDatabase db;
    db->migrate();
    CachedStore store(db.release());
    ChangeSet first;
    Provider p;
    p.uuid = uuid_of(0x9b, 1);
    p.name = "burst";
    p.inventories[kVcpu] = Inventory{100000, 0, 1, 100000, 1, 1.0};
    first.add(CreateProvider{p});
    store.commit(first);
    const ProviderId id = std::get<CreateProvider>(first.changes[0]).provider.id;
    for (int n = 0; n < static_cast<int>(CachedStore::kCompactIdleWrites); ++n) {
      ChangeSet cs = claim(*store.snapshot(), id, n);
      store.commit(cs);
    }
    REQUIRE(store.compactions() == 0);
    WHEN("no write comes for a while") {
      const auto before = store.snapshot();
      const auto deadline = std::chrono::steady_clock::now() + 4 * CachedStore::kCompactIdleAfter;
      while (store.compactions() == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      THEN("a rebuilt snapshot with the same content is published") {
        REQUIRE(store.compactions() == 1);
        const auto after = store.snapshot();
        CHECK(after != before);
        CHECK(after->consumer_count() == CachedStore::kCompactIdleWrites);
        require_same_content(*after, *before);
      }
    }
  }
}
