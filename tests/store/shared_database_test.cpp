// Several service instances on one PostgreSQL database (DESIGN.md): each CachedStore hears the
// others' commits through LISTEN/NOTIFY and reloads its snapshot; licence counters and
// generations are checked in SQL, so no pool is over-committed whichever instance claims.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <latch>
#include <thread>
#include <vector>

#include "service/store/cached_store.hpp"
#include "tests/store/test_database.hpp"

using namespace vgpu::scheduler;
using namespace ::vgpu::store;
using ::vgpu::store::test::TestDatabase;
using Clock = std::chrono::steady_clock;
namespace vg = ::vgpu::scheduler::vgpu;

namespace {

constexpr ClassId kVcpu = 0;
constexpr auto kVws = static_cast<std::uint8_t>(vg::Edition::rtx_vws);
// A notification travels in well under a millisecond and a reload of a small state takes a
// few; this bound only catches a feed that does not work.
constexpr auto kVisibleWithin = std::chrono::seconds(5);

Uuid uuid_of(int kind, int n) {
  char text[37];
  std::snprintf(text, sizeof text, "%08x-0000-4000-8000-%012x", kind, n);
  return *Uuid::parse(text);
}

Provider make_provider(int n) {
  Provider p;
  p.uuid = uuid_of(0x5a, n);
  p.name = "shared-" + std::to_string(n);
  p.inventories[kVcpu] = Inventory{1000, 0, 1, 1000, 1, 1.0};
  return p;
}

// Waits until `pred(snapshot)` holds; returns how long it took, or nullopt after kVisibleWithin.
template <typename Pred>
std::optional<Clock::duration> wait_for(const CachedStore& store, Pred pred) {
  const auto start = Clock::now();
  while (Clock::now() - start < kVisibleWithin) {
    if (pred(*store.snapshot())) return Clock::now() - start;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return std::nullopt;
}

// The persisted parts two states must agree on.
void require_same_content(const State& a, const State& b) {
  REQUIRE(a.provider_count() == b.provider_count());
  for (const Provider* p : a.providers()) {
    const Provider* q = b.provider(p->uuid);
    REQUIRE(q != nullptr);
    CHECK(q->generation == p->generation);
    CHECK(q->name == p->name);
  }
  CHECK(a.consumer_count() == b.consumer_count());
  a.for_each_consumer([&](const Consumer& c) {
    const Consumer* d = b.consumer(c.uuid);
    REQUIRE(d != nullptr);
    CHECK(d->generation == c.generation);
    CHECK(d->seats == c.seats);
  });
}

}  // namespace

SCENARIO("two instances on one PostgreSQL database", "[store][postgresql][shared]") {
  if (!test::is_postgres()) return;  // SQLite: one process owns the file
  GIVEN("two CachedStores A and B over one migrated database") {
    TestDatabase db;
    db->migrate();
    {
      ChangeSet cs;
      cs.add(CreateProvider{make_provider(0)});
      db->commit(cs, 0);
    }
    CachedStore a(db.release());
    CachedStore b(open_database(test::database_url()));

    WHEN("A creates a provider") {
      ChangeSet cs;
      cs.add(CreateProvider{make_provider(1)});
      const auto start = Clock::now();
      a.commit(cs);
      THEN("B's snapshot shows it within a bounded time") {
        const auto took =
            wait_for(b, [](const State& s) { return s.provider(uuid_of(0x5a, 1)) != nullptr; });
        REQUIRE(took);
        const double first_ms =
            std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        CHECK(a.snapshot()->provider(uuid_of(0x5a, 1)) != nullptr);
        // Again, with B's connections warm (the first reload may open a pooled connection).
        ChangeSet more;
        more.add(CreateProvider{make_provider(2)});
        const auto again = Clock::now();
        a.commit(more);
        REQUIRE(wait_for(b, [](const State& s) { return s.provider(uuid_of(0x5a, 2)) != nullptr; }));
        const double warm_ms =
            std::chrono::duration<double, std::milli>(Clock::now() - again).count();
        WARN("a commit on A is visible on B after " << first_ms << " ms (first), " << warm_ms
                                                    << " ms (warm)");
      }
    }
    WHEN("the server ends every connection (B's feed too), then A creates a provider") {
      test::postgres_admin(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
              test::postgres_database_name() + "' AND pid <> pg_backend_pid()",
          "postgres");
      ChangeSet cs;
      cs.add(CreateProvider{make_provider(3)});
      a.commit(cs);  // A's pooled connection reconnects
      THEN("B's feed reconnects, catches up, and B's snapshot shows it") {
        CHECK(wait_for(b, [](const State& s) { return s.provider(uuid_of(0x5a, 3)) != nullptr; }));
      }
    }
    WHEN("B, whose snapshot is behind, hits a generation conflict") {
      // Both see provider 0 at generation 0; A bumps it; B's update at 0 must fail, and B's
      // snapshot must then show generation 1 so that a retry can succeed.
      const State before = *b.snapshot();
      ChangeSet bump;
      Provider p = *a.snapshot()->provider(uuid_of(0x5a, 0));
      ++p.generation;
      bump.add(UpdateProvider{p, 0, 0});
      a.commit(bump);
      // Make sure B has heard from A at least once (the refresh is for shared databases).
      REQUIRE(wait_for(b, [](const State& s) {
        return s.provider(uuid_of(0x5a, 0))->generation == 1;
      }));
      ChangeSet again;
      again.add(UpdateProvider{p, 1, 0});
      a.commit(again);  // generation 2 now; B may or may not have reloaded yet
      ChangeSet stale;
      Provider q = *before.provider(uuid_of(0x5a, 0));
      ++q.generation;
      stale.add(UpdateProvider{q, 0, 0});
      CHECK_THROWS_AS(b.commit(stale), Conflict);
      THEN("B's snapshot is current right after the conflict") {
        CHECK(b.snapshot()->provider(uuid_of(0x5a, 0))->generation == 2);
      }
    }
    WHEN("both instances create providers concurrently") {
      constexpr int kEach = 40;
      std::latch go(2);
      auto writer = [&](CachedStore& store, int base) {
        go.arrive_and_wait();
        for (int i = 0; i < kEach; ++i) {
          ChangeSet cs;
          cs.add(CreateProvider{make_provider(base + i)});
          store.commit(cs);
        }
      };
      std::thread ta(writer, std::ref(a), 100);
      std::thread tb(writer, std::ref(b), 200);
      ta.join();
      tb.join();
      THEN("each ends with the database's state: no own commit lost or applied twice") {
        const std::size_t total = 1 + 2 * kEach;
        REQUIRE(wait_for(a, [&](const State& s) { return s.provider_count() == total; }));
        REQUIRE(wait_for(b, [&](const State& s) { return s.provider_count() == total; }));
        const State fresh = open_database(test::database_url())->load();
        require_same_content(fresh, *a.snapshot());
        require_same_content(fresh, *b.snapshot());
        CHECK(a.reloads() + b.reloads() > 0);
      }
    }
  }
}

SCENARIO("concurrent seat claims from two instances never over-commit a pool",
         "[store][postgresql][shared]") {
  if (!test::is_postgres()) return;
  GIVEN("a vWS pool of 10 seats with 7 in use, and two instances") {
    TestDatabase db;
    db->migrate();
    ProviderId host = kNoProvider;
    {
      ChangeSet cs;
      cs.add(CreateProvider{make_provider(0)});
      SetLicencePools pools;
      pools.pools[vg::Edition::rtx_vws].total = 10;
      cs.add(pools);
      db->commit(cs, 0);
      host = std::get<CreateProvider>(cs.changes[0]).provider.id;
    }
    auto claim = [&](int n) {
      Consumer c;
      c.uuid = uuid_of(0xc0, n);
      c.project_id = c.user_id = "p";
      c.allocations = {{host, kVcpu, 1}};
      c.seats = {{kVws, 1}};
      ChangeSet cs;
      cs.add(PutConsumer{c, std::nullopt, {{kVws, 1, false}}});
      return cs;
    };
    for (int n = 0; n < 7; ++n) {
      ChangeSet cs = claim(n);
      db->commit(cs, 0);
    }
    CachedStore a(db.release());
    CachedStore b(open_database(test::database_url()));

    WHEN("16 threads, 8 per instance, each claim one seat at once") {
      constexpr int kThreads = 16;
      std::atomic<int> granted{0}, refused{0}, other{0};
      std::latch go(kThreads);
      std::vector<std::thread> threads;
      for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
          CachedStore& store = t % 2 ? b : a;
          ChangeSet cs = claim(100 + t);
          go.arrive_and_wait();
          try {
            store.commit(cs);
            ++granted;
          } catch (const Conflict& c) {
            (c.kind == ConflictKind::kLicence ? refused : other)++;
          }
        });
      }
      for (auto& t : threads) t.join();
      THEN("exactly the last 3 seats are granted, the others refused as kLicence") {
        CHECK(granted == 3);
        CHECK(refused == kThreads - 3);
        CHECK(other == 0);
        const State fresh = open_database(test::database_url())->load();
        CHECK(fresh.consumer_count() == 10);
        CHECK(fresh.licence_pools()[vg::Edition::rtx_vws].used == 10);
        AND_THEN("both instances converge on it") {
          REQUIRE(wait_for(a, [](const State& s) { return s.consumer_count() == 10; }));
          REQUIRE(wait_for(b, [](const State& s) { return s.consumer_count() == 10; }));
        }
      }
    }
  }
}
