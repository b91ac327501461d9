// The Database contract, run against every engine (see test_database.hpp): what migrate, load
// and commit promise to the rest of the service, including under concurrent writers.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <latch>
#include <thread>
#include <unistd.h>
#include <vector>

#include "scheduler/names/standard_names.hpp"
#include "service/store/cached_store.hpp"
#include "tests/store/test_database.hpp"

using namespace vgpu::scheduler;
using namespace ::vgpu::store;
using ::vgpu::store::test::TestDatabase;

namespace {

constexpr std::int64_t kNow = 1700000000;

Uuid make_uuid(int n) {
  char text[37];
  std::snprintf(text, sizeof text, "%08x-0000-4000-8000-%012x", 0xabcd, n);
  return *Uuid::parse(text);
}

TraitId trait_id(const State& s, const char* name) { return *s.traits().id_of(name); }

// A provider value as the API would build it for CreateProvider.
Provider make_provider(int n, ProviderId parent = kNoProvider) {
  Provider p;
  p.uuid = make_uuid(n);
  p.name = "provider-" + std::to_string(n);
  p.parent = parent;
  return p;
}

ProviderId create(Database& db, Provider p) {
  ChangeSet cs;
  auto& c = cs.add(CreateProvider{std::move(p)});
  db.commit(cs, kNow);
  return c.provider.id;
}

// The persisted fields of two providers are equal (derived ones are checked separately).
void require_same(const Provider& a, const Provider& b) {
  CHECK(a.id == b.id);
  CHECK(a.uuid == b.uuid);
  CHECK(a.name == b.name);
  CHECK(a.generation == b.generation);
  CHECK(a.parent == b.parent);
  CHECK(a.inventories == b.inventories);
  CHECK(a.traits == b.traits);
  CHECK(a.aggregates == b.aggregates);
  CHECK(a.created_at == b.created_at);
  CHECK(a.updated_at == b.updated_at);
}

// A change after commit, to read the ids the store filled in. (A reference kept from
// ChangeSet::add dangles once a later add grows the vector.)
template <typename T>
const T& change(const ChangeSet& cs, std::size_t i) {
  return std::get<T>(cs.changes.at(i));
}

template <typename F>
ConflictKind conflict_of(F&& f, std::size_t* index = nullptr) {
  try {
    f();
  } catch (const Conflict& c) {
    if (index) *index = c.change_index;
    return c.kind;
  }
  FAIL("expected a Conflict");
  return ConflictKind::kMissing;
}

// The same state in every persisted respect: what a reload gives must match a snapshot.
void require_same_state(const State& a, const State& b) {
  REQUIRE(a.provider_count() == b.provider_count());
  for (const Provider* p : a.providers()) {
    const Provider* q = b.provider(p->id);
    REQUIRE(q != nullptr);
    require_same(*p, *q);
    CHECK(p->root == q->root);
    CHECK(p->children == q->children);
  }
  CHECK(a.classes().sorted_by_name() == b.classes().sorted_by_name());
  CHECK(a.traits().sorted_by_name() == b.traits().sorted_by_name());
}

// Ends every other session on the test database, as a server-side failure would.
// (From the maintenance database, which stays open when the test database refuses
// connections.)
void terminate_store_connections() {
  test::postgres_admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                           test::postgres_database_name() + "'",
                       "postgres");
}

}  // namespace

SCENARIO("migrate brings an empty database to the latest schema, once", "[store]") {
  GIVEN("an empty database") {
    TestDatabase db;
    THEN("its schema version is 0 and the binary knows at least migration 1") {
      const SchemaVersion v = db->schema_version();
      CHECK(v.current == 0);
      CHECK(v.latest >= 1);
    }
    WHEN("migrate runs twice") {
      db->migrate();
      db->migrate();
      THEN("the schema is current") {
        const SchemaVersion v = db->schema_version();
        CHECK(v.current == v.latest);
      }
      THEN("every standard resource class exists with its list position as id") {
        const State s = db->load();
        const auto& names = standard_resource_classes();
        REQUIRE(s.classes().size() == names.size());
        for (std::size_t i = 0; i < names.size(); ++i) {
          const std::string* name = s.classes().name_of(static_cast<ClassId>(i));
          REQUIRE(name != nullptr);
          CHECK(*name == names[i]);
        }
      }
      THEN("every standard trait exists exactly once") {
        const State s = db->load();
        CHECK(s.traits().size() == standard_traits().size());
        for (std::string_view name : standard_traits()) CHECK(s.traits().id_of(name));
      }
      THEN("the database answers ping") { CHECK(db->ping()); }
    }
  }
}

SCENARIO("providers round-trip through commit and load", "[store]") {
  GIVEN("a migrated database") {
    TestDatabase db;
    db->migrate();
    const State before = db->load();
    const TraitId avx = trait_id(before, "HW_CPU_X86_AVX");
    const TraitId sse = trait_id(before, "HW_CPU_X86_SSE");

    WHEN("a root with inventories, traits and aggregates and then a child are created") {
      Provider root = make_provider(1);
      root.inventories[0] = Inventory{16, 2, 1, 8, 1, 4.0};  // VCPU
      root.inventories[1] = Inventory{65536, 512, 256, 0, 256, 1.5};  // MEMORY_MB
      root.traits = {std::min(avx, sse), std::max(avx, sse)};
      root.aggregates = {make_uuid(900), make_uuid(901)};
      ChangeSet cs;
      auto& created = cs.add(CreateProvider{root});
      db->commit(cs, kNow);
      const Provider root_written = created.provider;
      const ProviderId child_id = create(*db, make_provider(2, root_written.id));

      THEN("the store filled in the id, generation and timestamps") {
        CHECK(root_written.id != kNoProvider);
        CHECK(root_written.generation == 0);
        CHECK(root_written.created_at == kNow);
        CHECK(root_written.updated_at == kNow);
      }
      THEN("load returns them, linked into one tree") {
        const State s = db->load();
        REQUIRE(s.provider_count() == 2);
        require_same(*s.provider(root_written.id), root_written);
        const Provider* child = s.provider(child_id);
        REQUIRE(child != nullptr);
        CHECK(child->parent == root_written.id);
        CHECK(child->root == root_written.id);
        CHECK(s.provider(root_written.id)->children == std::vector<ProviderId>{child_id});
        CHECK(s.provider(make_uuid(2))->id == child_id);
      }

      AND_WHEN("the root's inventories are replaced at the current generation") {
        Provider next = root_written;
        next.inventories = {};
        next.inventories[10] = Inventory{4, 0, 1, 4, 1, 1.0};  // VGPU
        ChangeSet up;
        auto& u = up.add(UpdateProvider{next, 0, kProviderInventories});
        db->commit(up, kNow + 5);
        THEN("the generation is bumped and only inventories changed") {
          CHECK(u.provider.generation == 1);
          const State s = db->load();
          const Provider* p = s.provider(root_written.id);
          CHECK(p->generation == 1);
          CHECK(p->updated_at == kNow + 5);
          CHECK(p->created_at == kNow);
          CHECK(p->inventories == next.inventories);
          CHECK(p->traits == root_written.traits);
          CHECK(p->aggregates == root_written.aggregates);
        }
      }
      AND_WHEN("a claim updates the root with no parts") {
        Provider next = root_written;
        next.name = "not written";  // parts = 0: only the generation moves
        ChangeSet up;
        up.add(UpdateProvider{next, 0, 0});
        db->commit(up, kNow + 1);
        THEN("only the generation and timestamp changed") {
          const State s = db->load();
          const Provider* p = s.provider(root_written.id);
          CHECK(p->generation == 1);
          CHECK(p->name == root_written.name);
          CHECK(p->inventories == root_written.inventories);
        }
      }
      AND_WHEN("the child is renamed and made a root, then traits and aggregates cleared") {
        const State s0 = db->load();
        Provider child = *s0.provider(child_id);
        child.name = "renamed";
        child.parent = kNoProvider;
        ChangeSet up;
        up.add(UpdateProvider{child, 0, kProviderFields});
        Provider root_next = root_written;
        root_next.traits.clear();
        root_next.aggregates.clear();
        up.add(UpdateProvider{root_next, 0, kProviderTraits | kProviderAggregates});
        db->commit(up, kNow + 9);
        THEN("load sees two roots and the cleared lists") {
          const State s = db->load();
          CHECK(s.provider(child_id)->name == "renamed");
          CHECK(s.provider(child_id)->root == child_id);
          CHECK(s.provider(root_written.id)->children.empty());
          CHECK(s.provider(root_written.id)->traits.empty());
          CHECK(s.provider(root_written.id)->aggregates.empty());
          CHECK(s.provider(root_written.id)->inventories == root_written.inventories);
        }
      }
      AND_WHEN("the child and then the root are deleted at their generations") {
        ChangeSet del;
        del.add(DeleteProvider{child_id, 0});
        del.add(DeleteProvider{root_written.id, 0});
        db->commit(del, kNow);
        THEN("load finds nothing and the names are free again") {
          CHECK(db->load().provider_count() == 0);
          CHECK(create(*db, make_provider(1)) != kNoProvider);
        }
      }
    }
  }
}

SCENARIO("a conflicting ChangeSet writes nothing", "[store]") {
  GIVEN("a migrated database with one provider at generation 0") {
    TestDatabase db;
    db->migrate();
    const ProviderId id = create(*db, make_provider(1));

    WHEN("the third change of a ChangeSet expects a stale generation") {
      Provider stale = *db->load().provider(id);
      stale.name = "changed";
      ChangeSet cs;
      cs.add(AddTrait{"CUSTOM_ONLY_IF_ALL"});
      cs.add(CreateProvider{make_provider(2)});
      cs.add(UpdateProvider{stale, 7});
      std::size_t index = 99;
      const ConflictKind kind = conflict_of([&] { db->commit(cs, kNow); }, &index);
      THEN("a generation conflict names that change and the first two were rolled back") {
        CHECK(kind == ConflictKind::kGeneration);
        CHECK(index == 2);
        const State s = db->load();
        CHECK_FALSE(s.traits().id_of("CUSTOM_ONLY_IF_ALL"));
        CHECK(s.provider(make_uuid(2)) == nullptr);
        CHECK(s.provider(id)->name == "provider-1");
        CHECK(s.provider(id)->generation == 0);
      }
    }
    WHEN("the provider is deleted with a stale generation") {
      const ConflictKind kind = conflict_of([&] {
        ChangeSet cs;
        cs.add(DeleteProvider{id, 3});
        db->commit(cs, kNow);
      });
      THEN("it is a generation conflict and the provider stays") {
        CHECK(kind == ConflictKind::kGeneration);
        CHECK(db->load().provider(id) != nullptr);
      }
    }
    WHEN("a provider that does not exist is updated") {
      Provider ghost = make_provider(5);
      ghost.id = 424242;
      const ConflictKind kind = conflict_of([&] {
        ChangeSet cs;
        cs.add(UpdateProvider{ghost, 0});
        db->commit(cs, kNow);
      });
      THEN("it is a generation conflict") { CHECK(kind == ConflictKind::kGeneration); }
    }
  }
}

SCENARIO("names and uuids are unique", "[store]") {
  GIVEN("a migrated database with provider-1") {
    TestDatabase db;
    db->migrate();
    const ProviderId id = create(*db, make_provider(1));

    WHEN("another provider takes its name") {
      Provider p = make_provider(2);
      p.name = "provider-1";
      std::size_t index = 99;
      const ConflictKind kind = conflict_of([&] { create(*db, p); }, &index);
      THEN("kDuplicateName") {
        CHECK(kind == ConflictKind::kDuplicateName);
        CHECK(index == 0);
      }
    }
    WHEN("another provider takes its uuid") {
      Provider p = make_provider(1);
      p.name = "other";
      THEN("kDuplicateUuid") {
        CHECK(conflict_of([&] { create(*db, p); }) == ConflictKind::kDuplicateUuid);
        CHECK(db->load().provider_count() == 1);
      }
    }
    WHEN("another provider is renamed to its name") {
      const ProviderId other = create(*db, make_provider(2));
      Provider p = *db->load().provider(other);
      p.name = "provider-1";
      ChangeSet cs;
      cs.add(UpdateProvider{p, 0, kProviderFields});
      THEN("kDuplicateName") {
        CHECK(conflict_of([&] { db->commit(cs, kNow); }) == ConflictKind::kDuplicateName);
      }
    }
    WHEN("a trait or class is added under an existing name") {
      ChangeSet trait;
      trait.add(AddTrait{"HW_CPU_X86_AVX"});
      ChangeSet cls;
      cls.add(AddResourceClass{"VCPU"});
      THEN("kDuplicateName") {
        CHECK(conflict_of([&] { db->commit(trait, kNow); }) == ConflictKind::kDuplicateName);
        CHECK(conflict_of([&] { db->commit(cls, kNow); }) == ConflictKind::kDuplicateName);
      }
    }
    (void)id;
  }
}

SCENARIO("rows in use cannot be removed, and references must exist", "[store]") {
  GIVEN("a root with a child, a custom trait and a custom class in use") {
    TestDatabase db;
    db->migrate();
    ChangeSet names;
    names.add(AddTrait{"CUSTOM_IN_USE"});
    names.add(AddResourceClass{"CUSTOM_GPU_SLICE"});
    db->commit(names, kNow);
    const auto& trait = change<AddTrait>(names, 0);
    const auto& cls = change<AddResourceClass>(names, 1);
    Provider root = make_provider(1);
    root.traits = {trait.id};
    root.inventories[cls.id] = Inventory{8, 0, 1, 8, 1, 1.0};
    const ProviderId root_id = create(*db, root);
    const ProviderId child_id = create(*db, make_provider(2, root_id));

    THEN("deleting the parent is kInUse") {
      ChangeSet cs;
      cs.add(DeleteProvider{root_id, 0});
      CHECK(conflict_of([&] { db->commit(cs, kNow); }) == ConflictKind::kInUse);
      CHECK(db->load().provider(root_id) != nullptr);
    }
    THEN("removing the trait is kInUse") {
      ChangeSet cs;
      cs.add(RemoveTrait{trait.id});
      CHECK(conflict_of([&] { db->commit(cs, kNow); }) == ConflictKind::kInUse);
    }
    THEN("removing the class is kInUse") {
      ChangeSet cs;
      cs.add(RemoveResourceClass{cls.id});
      CHECK(conflict_of([&] { db->commit(cs, kNow); }) == ConflictKind::kInUse);
    }
    THEN("once the provider is gone, trait and class can be removed") {
      ChangeSet cs;
      cs.add(DeleteProvider{child_id, 0});
      cs.add(DeleteProvider{root_id, 0});
      cs.add(RemoveTrait{trait.id});
      cs.add(RemoveResourceClass{cls.id});
      db->commit(cs, kNow);
      const State s = db->load();
      CHECK_FALSE(s.traits().id_of("CUSTOM_IN_USE"));
      CHECK_FALSE(s.classes().id_of("CUSTOM_GPU_SLICE"));
    }
    THEN("a provider under a missing parent is kMissing") {
      CHECK(conflict_of([&] { create(*db, make_provider(3, 999999)); }) ==
            ConflictKind::kMissing);
    }
    THEN("inventory of a missing class or a missing trait is kMissing") {
      Provider p = make_provider(4);
      p.inventories[12345] = Inventory{1, 0, 1, 1, 1, 1.0};
      CHECK(conflict_of([&] { create(*db, p); }) == ConflictKind::kMissing);
      Provider q = make_provider(5);
      q.traits = {999999};
      CHECK(conflict_of([&] { create(*db, q); }) == ConflictKind::kMissing);
      CHECK(db->load().provider_count() == 2);
    }
  }
}

SCENARIO("custom resource classes get ids from 10000", "[store]") {
  GIVEN("a migrated database") {
    TestDatabase db;
    db->migrate();
    WHEN("two custom classes are added in one ChangeSet") {
      ChangeSet cs;
      cs.add(AddResourceClass{"CUSTOM_A"});
      cs.add(AddResourceClass{"CUSTOM_B"});
      db->commit(cs, kNow);
      const auto& a = change<AddResourceClass>(cs, 0);
      const auto& b = change<AddResourceClass>(cs, 1);
      THEN("their ids are distinct and at least 10000, and load agrees") {
        CHECK(a.id >= kFirstCustomClassId);
        CHECK(b.id > a.id);
        const State s = db->load();
        CHECK(s.classes().id_of("CUSTOM_A") == a.id);
        CHECK(s.classes().id_of("CUSTOM_B") == b.id);
      }
      AND_WHEN("one is renamed and the other removed") {
        ChangeSet more;
        more.add(RenameResourceClass{a.id, "CUSTOM_A2"});
        more.add(RemoveResourceClass{b.id});
        more.add(AddResourceClass{"CUSTOM_C"});
        db->commit(more, kNow);
        const auto& c = change<AddResourceClass>(more, 2);
        THEN("load sees the new name under the same id, and new ids stay custom") {
          const State s = db->load();
          CHECK(s.classes().id_of("CUSTOM_A2") == a.id);
          CHECK_FALSE(s.classes().id_of("CUSTOM_A"));
          CHECK_FALSE(s.classes().id_of("CUSTOM_B"));
          CHECK(c.id >= kFirstCustomClassId);
          CHECK(c.id != a.id);
        }
      }
    }
    WHEN("migrate runs again") {
      ChangeSet cs;
      auto& a = cs.add(AddResourceClass{"CUSTOM_KEPT"});
      db->commit(cs, kNow);
      db->migrate();
      THEN("custom classes are kept") { CHECK(db->load().classes().id_of("CUSTOM_KEPT") == a.id); }
    }
  }
}

SCENARIO("concurrent commits", "[store]") {
  GIVEN("a migrated database with 8 providers") {
    TestDatabase db;
    db->migrate();
    constexpr int kThreads = 8;
    std::vector<ProviderId> ids;
    for (int i = 0; i < kThreads; ++i) ids.push_back(create(*db, make_provider(i)));
    const State start = db->load();

    WHEN("each thread updates its own provider 10 times") {
      std::atomic<int> failures{0};
      std::latch go(kThreads);
      std::vector<std::thread> threads;
      for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
          Provider p = *start.provider(ids[t]);
          go.arrive_and_wait();
          for (int g = 0; g < 10; ++g) {
            try {
              p.inventories[0] = Inventory{g + 1, 0, 1, g + 1, 1, 1.0};
              ChangeSet cs;
              cs.add(UpdateProvider{p, g, kProviderInventories});
              db->commit(cs, kNow);
            } catch (const std::exception&) {
              ++failures;
            }
          }
        });
      }
      for (auto& th : threads) th.join();
      THEN("all succeed") {
        CHECK(failures == 0);
        const State s = db->load();
        for (ProviderId id : ids) {
          CHECK(s.provider(id)->generation == 10);
          CHECK(s.provider(id)->inventories.find(0)->total == 10);
        }
      }
    }
    WHEN("every thread updates the same provider at the same generation") {
      std::atomic<int> wins{0}, generation_conflicts{0}, other_errors{0};
      std::latch go(kThreads);
      std::vector<std::thread> threads;
      for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
          Provider p = *start.provider(ids[0]);
          p.inventories[0] = Inventory{t + 1, 0, 1, 1, 1, 1.0};
          ChangeSet cs;
          cs.add(UpdateProvider{p, 0, kProviderInventories});
          go.arrive_and_wait();
          try {
            db->commit(cs, kNow);
            ++wins;
          } catch (const Conflict& c) {
            if (c.kind == ConflictKind::kGeneration) ++generation_conflicts;
          } catch (const std::exception&) {
            ++other_errors;
          }
        });
      }
      for (auto& th : threads) th.join();
      THEN("exactly one wins and the others see a generation conflict") {
        CHECK(wins == 1);
        CHECK(generation_conflicts == kThreads - 1);
        CHECK(other_errors == 0);
        const State s = db->load();
        const Provider* p = s.provider(ids[0]);
        CHECK(p->generation == 1);
        CHECK(p->inventories.size() == 1);
      }
    }
  }
}

SCENARIO("CachedStore publishes committed changes only", "[store]") {
  GIVEN("a CachedStore over a migrated database with one provider") {
    TestDatabase db;
    db->migrate();
    const ProviderId id = create(*db, make_provider(1));
    CachedStore store(db.release());
    CHECK(store.ready());
    const auto first = store.snapshot();
    REQUIRE(first->provider(id) != nullptr);

    WHEN("a commit creates a provider and updates the first") {
      Provider p = *first->provider(id);
      p.traits = {trait_id(*first, "HW_CPU_X86_AVX")};
      ChangeSet cs;
      cs.add(UpdateProvider{p, 0, kProviderTraits});
      cs.add(CreateProvider{make_provider(2, id)});
      store.commit(cs);
      const auto& created = change<CreateProvider>(cs, 1);
      THEN("the snapshot shows it and equals a fresh load") {
        const auto s = store.snapshot();
        CHECK(s->provider(id)->generation == 1);
        CHECK(s->provider(id)->traits == p.traits);
        REQUIRE(s->provider(created.provider.id) != nullptr);
        CHECK(s->provider(id)->children == std::vector<ProviderId>{created.provider.id});
        require_same_state(*s, store.database().load());
      }
    }
    WHEN("a commit conflicts") {
      Provider p = *first->provider(id);
      p.name = "never";
      ChangeSet cs;
      cs.add(CreateProvider{make_provider(3)});
      cs.add(UpdateProvider{p, 5});
      CHECK_THROWS_AS(store.commit(cs), Conflict);
      THEN("the snapshot is the one from before") {
        CHECK(store.snapshot() == first);
        require_same_state(*store.snapshot(), store.database().load());
      }
    }
  }
}

SCENARIO("database URLs", "[store]") {
  WHEN("the scheme is unknown") {
    THEN("open_database throws invalid_argument without echoing the URL") {
      try {
        open_database("mysql://root:hunter2@localhost/placement");
        FAIL("no exception");
      } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()).find("mysql") != std::string::npos);
        CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
      }
      CHECK_THROWS_AS(open_database("sqlite://relative.db"), std::invalid_argument);
    }
  }
  WHEN("SQLite is opened in memory") {
    auto db = open_database("sqlite://:memory:");
    db->migrate();
    THEN("it works and says what it is") {
      CHECK(db->description() == "sqlite://:memory:");
      CHECK(db->load().traits().size() == standard_traits().size());
    }
  }
  WHEN("a SQLite file lives in a directory that does not exist yet") {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("vgpu-store-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const std::string path = (dir / "a" / "b" / "placement.db").string();
    {
      auto db = open_database("sqlite://" + path);
      db->migrate();
      CHECK(db->description() == "sqlite://" + path);
    }
    THEN("the directory is created") { CHECK(std::filesystem::exists(path)); }
    std::filesystem::remove_all(dir);
  }
  WHEN("PostgreSQL cannot be reached") {
    THEN("open_database throws Unavailable without the password") {
      try {
        open_database("postgresql://nobody:hunter2@127.0.0.1:1/nothing?pool_size=2");
        FAIL("no exception");
      } catch (const Unavailable& e) {
        CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
      }
    }
  }
}

SCENARIO("PostgreSQL survives lost connections", "[store][postgresql]") {
  if (!test::is_postgres()) return;  // the SQLite run has no server to lose
  GIVEN("a migrated PostgreSQL database with one provider, and its description") {
    TestDatabase db;
    db->migrate();
    const ProviderId id = create(*db, make_provider(1));
    THEN("the description has the user and host but not the password") {
      const std::string url = test::database_url();
      const std::string password =
          url.substr(url.find(':', 13) + 1, url.find('@') - url.find(':', 13) - 1);
      CHECK(db->description().find(password) == std::string::npos);
      CHECK(db->description().rfind("postgresql://placement@127.0.0.1:", 0) == 0);
    }
    WHEN("the server terminates every connection of the store") {
      const Provider p = *db->load().provider(id);
      terminate_store_connections();
      THEN("the next commit reconnects and succeeds") {
        ChangeSet cs;
        cs.add(UpdateProvider{p, 0});
        db->commit(cs, kNow);
        CHECK(db->load().provider(id)->generation == 1);
        CHECK(db->ping());
      }
    }
    WHEN("the database refuses connections") {
      const Provider p = *db->load().provider(id);
      // Run from another database: a session cannot lock out its own database. The name is
      // our cluster's own ("placement"), quoted as an identifier.
      const std::string alter = "ALTER DATABASE \"" + test::postgres_database_name() + "\" ";
      test::postgres_admin(alter + "ALLOW_CONNECTIONS false", "postgres");
      // Whatever happens below, the next scenarios need the database back.
      struct Reopen {
        std::string sql;
        ~Reopen() { test::postgres_admin(sql, "postgres"); }
      } reopen{alter + "ALLOW_CONNECTIONS true"};
      terminate_store_connections();
      ChangeSet cs;
      cs.add(UpdateProvider{p, 0});
      THEN("commit and load throw Unavailable and ping says false") {
        CHECK_THROWS_AS(db->commit(cs, kNow), Unavailable);
        CHECK_THROWS_AS(db->load(), Unavailable);
        CHECK_FALSE(db->ping());
      }
      AND_WHEN("it accepts connections again") {
        CHECK_THROWS_AS(db->commit(cs, kNow), Unavailable);
        test::postgres_admin(alter + "ALLOW_CONNECTIONS true", "postgres");
        THEN("the same store commits again") {
          db->commit(cs, kNow);
          CHECK(db->load().provider(id)->generation == 1);
        }
      }
    }
    WHEN("the server restarts") {
      test::restart_postgres();
      THEN("commit, load and ping work again") {
        ChangeSet cs;
        auto& created = cs.add(CreateProvider{make_provider(2)});
        db->commit(cs, kNow);
        CHECK(db->load().provider(created.provider.id) != nullptr);
        CHECK(db->ping());
      }
    }
  }
}
