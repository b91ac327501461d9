// The Database contract for the vGPU layer (issue 4), on every engine: managed hosts and GPUs,
// consumers' vGPU assignments and seat holdings round-trip by profile NAME; licence counters
// are checked in SQL (over-commit refused as kLicence with nothing written, reserve, release,
// unlimited pools); rows go with their consumer or GPU provider; migration 0003 applies to a
// database at version 2 that holds data.
#include <catch2/catch.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "scheduler/model/provisional_id.hpp"
#include "scheduler/vgpu/data/default_catalog.hpp"
#include "service/store/migrator.hpp"
#include "service/store/pg_connection.hpp"
#include "service/store/sqlite_session.hpp"
#include "tests/store/test_database.hpp"

using namespace vgpu::scheduler;
using namespace ::vgpu::store;
using ::vgpu::store::test::TestDatabase;
namespace vg = ::vgpu::scheduler::vgpu;

namespace {

constexpr std::int64_t kNow = 1700000000;
constexpr ClassId kVcpu = 0;
constexpr auto kVws = static_cast<std::uint8_t>(vg::Edition::rtx_vws);
constexpr auto kVpc = static_cast<std::uint8_t>(vg::Edition::vpc);

Uuid uuid_of(int kind, int n) {
  char text[37];
  std::snprintf(text, sizeof text, "%08x-0000-4000-8000-%012x", kind, n);
  return *Uuid::parse(text);
}

const vg::Catalog& catalog() {
  static const CatalogPtr shipped = shipped_catalog();
  return *shipped;
}
vg::ProfileIndex profile(const char* name) { return *catalog().find_profile(name); }

template <typename F>
ConflictKind conflict_of(F&& f, std::string* what = nullptr) {
  try {
    f();
  } catch (const Conflict& c) {
    if (what) *what = c.what();
    return c.kind;
  }
  FAIL("expected a Conflict");
  return ConflictKind::kMissing;
}

// A compute node "host-<n>" with 64 VCPU and two A40 pGPU children named as Nova's libvirt
// driver names them; returns the ids (root, gpu0, gpu1).
struct Tree {
  ProviderId root, gpu0, gpu1;
};
Tree create_tree(Database& db, int n) {
  ChangeSet cs;
  Provider root;
  root.uuid = uuid_of(0x4057, n);
  root.name = "host-" + std::to_string(n);
  root.inventories[kVcpu] = Inventory{64, 0, 1, 64, 1, 1.0};
  cs.add(CreateProvider{root});
  db.commit(cs, kNow);
  const ProviderId root_id = std::get<CreateProvider>(cs.changes[0]).provider.id;
  ChangeSet gpus;
  for (int i = 0; i < 2; ++i) {
    Provider g;
    g.uuid = uuid_of(0x6b0, n * 10 + i);
    g.name = root.name + "_pci_0000_8" + std::to_string(4 + i) + "_00_0";
    g.parent = root_id;
    gpus.add(CreateProvider{g});
  }
  db.commit(gpus, kNow);
  return {root_id, std::get<CreateProvider>(gpus.changes[0]).provider.id,
          std::get<CreateProvider>(gpus.changes[1]).provider.id};
}

// The host report of `create_tree(n)`: GPU 0 equal-size by class, GPU 1 mixed-size by trait
// with reported power. Provider ids are left out: the store resolves them from the uuids.
PutManagedHost host_report(int n) {
  PutManagedHost h;
  h.host.hostname = "host-" + std::to_string(n);
  h.host.root_uuid = uuid_of(0x4057, n);
  h.host.state = vg::HostPowerState::draining;
  h.host.idle_watts = 120.5;
  h.host.standby_watts = 8;
  for (int i = 0; i < 2; ++i) {
    ManagedGpu g;
    g.provider_uuid = uuid_of(0x6b0, n * 10 + i);
    g.pci_address = "0000:8" + std::to_string(4 + i) + ":00.0";
    g.gpu.board = *catalog().find_board("A40");
    g.gpu.mode = i == 0 ? vg::GpuMode::equal_size : vg::GpuMode::mixed_size;
    g.gpu.supported = {profile("A40-4Q"), profile("A40-8Q"), profile("A40-2B")};
    g.naming = i == 0 ? VgpuNaming::resource_class : VgpuNaming::trait;
    if (i == 1) g.power = {40.0, 250.0, 5.0};
    h.host.gpus.push_back(g.provider_uuid);
    h.gpus.push_back(g);
  }
  return h;
}

void put_host(Database& db, int n) {
  ChangeSet cs;
  cs.add(host_report(n));
  db.commit(cs, kNow);
}

void set_pools(Database& db, std::optional<std::int64_t> vws_total, std::int64_t vws_reserve) {
  ChangeSet cs;
  SetLicencePools pools;
  pools.pools[vg::Edition::rtx_vws].total = vws_total;
  pools.pools[vg::Edition::rtx_vws].reserve = vws_reserve;
  pools.pools[vg::Edition::vpc].total = 4;
  cs.add(pools);
  db.commit(cs, kNow);
}

// Consumer `n` with 1 VCPU on `host` and `vgpus` A40-4Q vGPUs on `gpu` (slots 0, 4, ...),
// holding one vWS seat per vGPU.
Consumer vgpu_consumer(int n, ProviderId host, ProviderId gpu, int vgpus) {
  Consumer c;
  c.uuid = uuid_of(0xc0, n);
  c.project_id = "project";
  c.user_id = "user";
  c.allocations = {{host, kVcpu, 1}};
  for (int i = 0; i < vgpus; ++i) c.vgpus.push_back({gpu, profile("A40-4Q"), 4 * i});
  if (vgpus > 0) c.seats = {{kVws, vgpus}};
  return c;
}

// Claims `seats` vWS seats for new consumer n; returns the committed consumer.
Consumer claim_seats(Database& db, int n, ProviderId host, ProviderId gpu, int seats,
                     bool use_reserve = false) {
  ChangeSet cs;
  cs.add(PutConsumer{vgpu_consumer(n, host, gpu, seats), std::nullopt,
                     {{kVws, seats, use_reserve}}});
  db.commit(cs, kNow);
  return std::get<PutConsumer>(cs.changes[0]).consumer;
}

void release(Database& db, const Consumer& c) {
  ChangeSet cs;
  std::vector<SeatChange> back;
  for (const SeatHold& s : c.seats) back.push_back({s.edition, -s.seats, false});
  cs.add(DeleteConsumer{c.id, c.uuid, c.generation, back});
  db.commit(cs, kNow);
}

// A session of its own on the test database, beside the store's (to set up what the store's
// interface cannot: an old schema, a missing row).
std::unique_ptr<sql::Session> raw_session(const std::string& url) {
  if (test::is_postgres()) {
    auto pg = std::make_unique<PgConnection>(url);
    pg->ensure_connected();
    return pg;
  }
  return std::make_unique<SqliteSession>(url.substr(std::string("sqlite://").size()));
}

}  // namespace

SCENARIO("the vGPU layer round-trips through commit and load", "[store][vgpu]") {
  GIVEN("a migrated database with a host tree, its report and licence pools") {
    TestDatabase db;
    db->migrate();
    const Tree t = create_tree(*db, 1);
    ChangeSet report;
    report.add(host_report(1));
    db->commit(report, kNow);
    set_pools(*db, 10, 2);

    THEN("the store filled in the provider ids the uuids name") {
      const auto& put = std::get<PutManagedHost>(report.changes[0]);
      CHECK(put.host.root == t.root);
      CHECK(put.gpus[0].provider == t.gpu0);
      CHECK(put.gpus[1].provider == t.gpu1);
      CHECK(put.host.updated_at == kNow);
    }
    WHEN("a consumer takes two vGPUs and two vWS seats") {
      const Consumer c = claim_seats(*db, 1, t.root, t.gpu0, 2);
      THEN("load gives it back with its vGPUs (profiles by index) and seats") {
        const State s = db->load();
        const Consumer* loaded = s.consumer(c.uuid);
        REQUIRE(loaded != nullptr);
        CHECK(loaded->vgpus == c.vgpus);
        CHECK(loaded->seats == c.seats);
        CHECK(loaded->allocations == c.allocations);
      }
      AND_WHEN("it is replaced by one vGPU of another profile on the other GPU") {
        Consumer next = c;
        next.vgpus = {{t.gpu1, profile("A40-8Q"), 8}};
        next.seats = {{kVws, 1}};
        ChangeSet cs;
        cs.add(PutConsumer{next, c.generation, {{kVws, -1, false}}});
        db->commit(cs, kNow);
        THEN("load sees only the new assignment and seats") {
          const State s = db->load();
          const Consumer* loaded = s.consumer(c.uuid);
          REQUIRE(loaded != nullptr);
          CHECK(loaded->generation == c.generation + 1);
          REQUIRE(loaded->vgpus.size() == 1);
          CHECK(loaded->vgpus[0].gpu == t.gpu1);
          CHECK(loaded->vgpus[0].profile == profile("A40-8Q"));
          CHECK(loaded->vgpus[0].start == 8);
          REQUIRE(loaded->seats.size() == 1);
          CHECK(loaded->seats[0].seats == 1);
        }
      }
    }
  }
}

SCENARIO("a consumer with more vGPUs than one INSERT takes round-trips", "[store][vgpu]") {
  GIVEN("a migrated database with a host tree") {
    TestDatabase db;
    db->migrate();
    const Tree t = create_tree(*db, 1);
    WHEN("a new consumer takes 40 vGPUs (two statements' worth) and is then replaced by 33") {
      const Consumer c = claim_seats(*db, 1, t.root, t.gpu0, 40);
      const State first = db->load();
      REQUIRE(first.consumer(c.uuid) != nullptr);
      CHECK(first.consumer(c.uuid)->vgpus == c.vgpus);
      Consumer next = vgpu_consumer(1, t.root, t.gpu1, 33);
      next.id = c.id;
      ChangeSet cs;
      cs.add(PutConsumer{next, c.generation, {{kVws, -7, false}}});
      db->commit(cs, kNow);
      THEN("load gives every assignment back, in order") {
        const State s = db->load();
        REQUIRE(s.consumer(c.uuid) != nullptr);
        CHECK(s.consumer(c.uuid)->vgpus == next.vgpus);
        CHECK(s.consumer(c.uuid)->seats == next.seats);
      }
    }
  }
}

SCENARIO("managed hosts, GPUs and pools load into the State", "[store][vgpu][state]") {
  GIVEN("a reported host and configured pools") {
    TestDatabase db;
    db->migrate();
    const Tree t = create_tree(*db, 1);
    put_host(*db, 1);
    set_pools(*db, 10, 2);
    const Consumer c = claim_seats(*db, 1, t.root, t.gpu0, 2);

    THEN("load gives the host, its GPUs in order, and the pools with their counters") {
      const State s = db->load();
      const ManagedHost* h = s.managed_host("host-1");
      REQUIRE(h != nullptr);
      CHECK(h->root == t.root);
      CHECK(h->root_uuid == uuid_of(0x4057, 1));
      CHECK(h->state == vg::HostPowerState::draining);
      CHECK(h->idle_watts == 120.5);
      CHECK(h->standby_watts == 8);
      CHECK(h->updated_at == kNow);
      CHECK(h->gpus == std::vector<Uuid>{uuid_of(0x6b0, 10), uuid_of(0x6b0, 11)});
      CHECK(s.managed_host_of_root(t.root) == h);
      const ManagedGpu* g0 = s.managed_gpu(t.gpu0);
      const ManagedGpu* g1 = s.managed_gpu(t.gpu1);
      REQUIRE(g0 != nullptr);
      REQUIRE(g1 != nullptr);
      CHECK(g0->pci_address == "0000:84:00.0");
      CHECK(g0->gpu.board == *catalog().find_board("A40"));
      CHECK(g0->gpu.mode == vg::GpuMode::equal_size);
      CHECK(g0->gpu.supported ==
            std::vector<vg::ProfileIndex>{profile("A40-4Q"), profile("A40-8Q"),
                                          profile("A40-2B")});
      CHECK(g0->naming == VgpuNaming::resource_class);
      CHECK(!g0->power.idle_watts);
      CHECK(g1->naming == VgpuNaming::trait);
      CHECK(g1->gpu.mode == vg::GpuMode::mixed_size);
      CHECK(g1->power.idle_watts == 40.0);
      CHECK(g1->power.busy_watts == 250.0);
      CHECK(g1->power.per_vgpu_watts == 5.0);
      CHECK(g0->gpu.placed.size() == 2);  // derived from the consumer's assignments
      const LicencePools& pools = s.licence_pools();
      CHECK(pools[vg::Edition::rtx_vws].total == 10);
      CHECK(pools[vg::Edition::rtx_vws].reserve == 2);
      CHECK(pools[vg::Edition::rtx_vws].used == 2);
      CHECK(pools[vg::Edition::vpc].total == 4);
      CHECK(!pools[vg::Edition::vapps].total);
    }
    THEN("the snapshot a commit publishes equals a fresh load") {
      // (State::with_changes of PutManagedHost and SetLicencePools against the reader.)
      const State before = db->load();
      ChangeSet cs;
      PutManagedHost again = host_report(1);
      again.host.state = vg::HostPowerState::standby;
      cs.add(again);
      db->commit(cs, kNow + 1);
      const State published = before.with_changes(cs);
      const State loaded = db->load();
      REQUIRE(published.managed_host("host-1") != nullptr);
      CHECK(published.managed_host("host-1")->state == loaded.managed_host("host-1")->state);
      CHECK(published.managed_host("host-1")->root == loaded.managed_host("host-1")->root);
      CHECK(published.managed_gpu(t.gpu1) != nullptr);
    }
    WHEN("the host is reported again with only its first GPU") {
      PutManagedHost h = host_report(1);
      h.gpus.pop_back();
      h.host.gpus.pop_back();
      h.host.state = vg::HostPowerState::active;
      ChangeSet cs;
      cs.add(h);
      db->commit(cs, kNow + 5);
      THEN("the second GPU is no longer managed and the host row was updated in place") {
        const State s = db->load();
        CHECK(s.managed_hosts().size() == 1);
        CHECK(s.managed_host("host-1")->state == vg::HostPowerState::active);
        CHECK(s.managed_host("host-1")->updated_at == kNow + 5);
        CHECK(s.managed_gpu(t.gpu0) != nullptr);
        CHECK(s.managed_gpu(t.gpu1) == nullptr);
      }
    }
    WHEN("the second GPU's provider is deleted") {
      ChangeSet cs;
      cs.add(DeleteProvider{t.gpu1, 0});
      db->commit(cs, kNow);
      THEN("its managed GPU row went with it (ON DELETE CASCADE)") {
        const State s = db->load();
        CHECK(s.managed_gpu(t.gpu1) == nullptr);
        CHECK(s.managed_gpu(t.gpu0) != nullptr);
      }
    }
  }
}

SCENARIO("host reports name existing providers", "[store][vgpu]") {
  GIVEN("a migrated database with host-1's tree reported") {
    TestDatabase db;
    db->migrate();
    create_tree(*db, 1);
    put_host(*db, 1);
    THEN("a report naming a GPU provider that does not exist is kMissing and writes nothing") {
      PutManagedHost h = host_report(1);
      h.gpus[0].provider_uuid = uuid_of(0x6b0, 999);
      ChangeSet cs;
      cs.add(h);
      CHECK(conflict_of([&] { db->commit(cs, kNow); }) == ConflictKind::kMissing);
    }
    THEN("another host claiming host-1's root or GPUs is refused") {
      PutManagedHost h = host_report(1);
      h.host.hostname = "host-9";
      ChangeSet cs;
      cs.add(h);
      CHECK(conflict_of([&] { db->commit(cs, kNow); }) == ConflictKind::kDuplicateName);
    }
    THEN("a report in the same ChangeSet as the providers it names works (ids from uuids)") {
      ChangeSet cs;
      Provider root;
      root.uuid = uuid_of(0x4057, 2);
      root.name = "host-2";
      cs.add(CreateProvider{root});
      db->commit(cs, kNow);
      const ProviderId root_id = std::get<CreateProvider>(cs.changes[0]).provider.id;
      ChangeSet both;
      for (int i = 0; i < 2; ++i) {
        Provider g;
        g.uuid = uuid_of(0x6b0, 20 + i);
        g.name = "host-2_pci_0000_8" + std::to_string(4 + i) + "_00_0";
        g.parent = root_id;
        both.add(CreateProvider{g});
      }
      both.add(host_report(2));
      db->commit(both, kNow);
      CHECK(std::get<PutManagedHost>(both.changes[2]).gpus[1].provider ==
            std::get<CreateProvider>(both.changes[1]).provider.id);
    }
  }
}

SCENARIO("a host's first report is one transaction (provisional ids)", "[store][vgpu]") {
  GIVEN("a migrated database") {
    TestDatabase db;
    db->migrate();
    // As plan_host_tree writes a new host: the new class, trait and root first, then the
    // children that refer to them by provisional id, then the host.
    auto first_report = [](int n) {
      ChangeSet cs;
      cs.add(AddResourceClass{"CUSTOM_VGPU_A40_4Q", 0});
      cs.add(AddTrait{"CUSTOM_NVIDIA_A40_8Q", 0});
      Provider root;
      root.uuid = uuid_of(0x4057, n);
      root.name = "host-" + std::to_string(n);
      cs.add(CreateProvider{root});
      for (int i = 0; i < 2; ++i) {
        Provider g;
        g.uuid = uuid_of(0x6b0, n * 10 + i);
        g.name = root.name + "_pci_0000_8" + std::to_string(4 + i) + "_00_0";
        g.parent = provisional_id(2);
        if (i == 0) {
          g.inventories[static_cast<ClassId>(provisional_id(0))] = Inventory{12, 0, 1, 12, 1, 1.0};
        } else {
          g.inventories[5] = Inventory{6, 0, 1, 6, 1, 1.0};  // VGPU
          g.traits = {static_cast<TraitId>(provisional_id(1))};
        }
        cs.add(CreateProvider{g});
      }
      cs.add(host_report(n));
      return cs;
    };
    WHEN("it commits") {
      ChangeSet cs = first_report(1);
      db->commit(cs, kNow);
      THEN("the ids are bound and the database holds what the bound ChangeSet says") {
        REQUIRE_FALSE(has_provisional_ids(cs));
        const ProviderId root = std::get<CreateProvider>(cs.changes[2]).provider.id;
        const ClassId cls = std::get<AddResourceClass>(cs.changes[0]).id;
        const TraitId trait = std::get<AddTrait>(cs.changes[1]).id;
        const State expected = State{}.with_changes(cs);
        const State loaded = db->load();
        const Provider* g0 = loaded.provider(std::get<CreateProvider>(cs.changes[3]).provider.id);
        const Provider* g1 = loaded.provider(std::get<CreateProvider>(cs.changes[4]).provider.id);
        REQUIRE(g0);
        REQUIRE(g1);
        CHECK(g0->parent == root);
        CHECK(g1->parent == root);
        CHECK(g0->inventories.find(cls));
        CHECK(g1->traits == std::vector<TraitId>{trait});
        CHECK(*loaded.classes().name_of(cls) == "CUSTOM_VGPU_A40_4Q");
        REQUIRE(loaded.managed_host("host-1"));
        CHECK(loaded.managed_host("host-1")->root == root);
        CHECK(loaded.managed_gpu(g0->id));
        CHECK(expected.provider(g0->id)->inventories == g0->inventories);
      }
    }
    WHEN("a change late in the set fails") {
      ChangeSet cs = first_report(2);
      std::get<PutManagedHost>(cs.changes.back()).gpus[1].provider_uuid = uuid_of(0x6b0, 999);
      CHECK(conflict_of([&] { db->commit(cs, kNow); }) == ConflictKind::kMissing);
      THEN("nothing of it is written and the ChangeSet keeps its provisional ids") {
        CHECK(has_provisional_ids(cs));
        const State loaded = db->load();
        CHECK(loaded.provider_count() == 0);
        CHECK_FALSE(loaded.classes().id_of("CUSTOM_VGPU_A40_4Q"));
        CHECK_FALSE(loaded.traits().id_of("CUSTOM_NVIDIA_A40_8Q"));
        AND_THEN("the same ChangeSet, corrected, commits") {
          std::get<PutManagedHost>(cs.changes.back()).gpus[1].provider_uuid = uuid_of(0x6b0, 21);
          db->commit(cs, kNow);
          CHECK(db->load().provider_count() == 3);
        }
      }
    }
  }
}

SCENARIO("licence counters are checked in SQL", "[store][vgpu]") {
  GIVEN("a vWS pool of 5 seats with 1 reserved, 3 in use") {
    TestDatabase db;
    db->migrate();
    const Tree t = create_tree(*db, 1);
    set_pools(*db, 5, 1);
    const Consumer first = claim_seats(*db, 1, t.root, t.gpu0, 3);

    THEN("the last normal seat is granted, the next is refused as kLicence naming the numbers") {
      claim_seats(*db, 2, t.root, t.gpu0, 1);
      std::string what;
      CHECK(conflict_of([&] { claim_seats(*db, 3, t.root, t.gpu0, 1); }, &what) ==
            ConflictKind::kLicence);
      CHECK(what == "licence pool rtx_vws: 4 of 5 seats in use (reserve 1), request needs 1");
      AND_THEN("nothing of the refused ChangeSet was written") {
        CHECK(db->load().consumer(uuid_of(0xc0, 3)) == nullptr);
        CHECK(db->load().consumer_count() == 2);
      }
      AND_THEN("a claim that may use the reserve gets the reserved seat, and then none is left") {
        claim_seats(*db, 3, t.root, t.gpu0, 1, /*use_reserve=*/true);
        CHECK(conflict_of([&] { claim_seats(*db, 4, t.root, t.gpu0, 1, true); }) ==
              ConflictKind::kLicence);
      }
    }
    THEN("a claim of two seats where one is left is refused whole") {
      CHECK(conflict_of([&] { claim_seats(*db, 2, t.root, t.gpu0, 2); }) ==
            ConflictKind::kLicence);
      claim_seats(*db, 2, t.root, t.gpu0, 1);
    }
    THEN("a refused seat change names the change that took seats") {
      ChangeSet cs;
      Provider p;
      p.uuid = uuid_of(0x4057, 50);
      p.name = "unrelated";
      cs.add(CreateProvider{p});
      cs.add(PutConsumer{vgpu_consumer(2, t.root, t.gpu0, 2), std::nullopt, {{kVws, 2, false}}});
      std::size_t index = 99;
      try {
        db->commit(cs, kNow);
      } catch (const Conflict& c) {
        CHECK(c.kind == ConflictKind::kLicence);
        index = c.change_index;
      }
      CHECK(index == 1);
      CHECK(db->load().provider(p.uuid) == nullptr);  // the provider was rolled back too
    }
    WHEN("the consumer holding 3 seats is deleted, giving them back") {
      release(*db, first);
      THEN("4 normal seats are free again") {
        claim_seats(*db, 2, t.root, t.gpu0, 4);
        CHECK(conflict_of([&] { claim_seats(*db, 3, t.root, t.gpu0, 1); }) ==
              ConflictKind::kLicence);
      }
    }
    WHEN("more seats are given back than the counter holds") {
      ChangeSet cs;
      Consumer c = first;
      cs.add(DeleteConsumer{c.id, c.uuid, c.generation, {{kVws, -50, false}}});
      db->commit(cs, kNow);
      THEN("the counter stops at 0: exactly 4 normal seats are free") {
        claim_seats(*db, 2, t.root, t.gpu0, 4);
        CHECK(conflict_of([&] { claim_seats(*db, 3, t.root, t.gpu0, 1); }) ==
              ConflictKind::kLicence);
      }
    }
    WHEN("the pool is made unlimited") {
      set_pools(*db, std::nullopt, 0);
      THEN("any number of seats is granted") {
        claim_seats(*db, 2, t.root, t.gpu0, 100);
        claim_seats(*db, 3, t.root, t.gpu0, 100);
      }
      AND_WHEN("it is limited again") {
        claim_seats(*db, 2, t.root, t.gpu0, 100);
        THEN("the counter was kept: a total below the 103 seats in use is refused") {
          std::string what;
          CHECK(conflict_of([&] { set_pools(*db, 102, 0); }, &what) == ConflictKind::kLicence);
          CHECK(what == "licence pool rtx_vws: total 102 is below the 103 seats in use");
          AND_THEN("a total that holds them is taken, and only the rest is granted") {
            set_pools(*db, 150, 0);
            claim_seats(*db, 3, t.root, t.gpu0, 47);
            CHECK(conflict_of([&] { claim_seats(*db, 4, t.root, t.gpu0, 1); }) ==
                  ConflictKind::kLicence);
          }
        }
      }
    }
    THEN("seats given back and taken in one ChangeSet are netted per pool") {
      // Moving a VM's seats: 3 given back by one consumer, 4 taken by another: net +1 fits.
      ChangeSet cs;
      cs.add(DeleteConsumer{first.id, first.uuid, first.generation, {{kVws, -3, false}}});
      cs.add(PutConsumer{vgpu_consumer(2, t.root, t.gpu0, 4), std::nullopt, {{kVws, 4, false}}});
      db->commit(cs, kNow);
    }
  }
  GIVEN("a database whose pool row for an edition is missing") {
    TestDatabase db;
    db->migrate();
    const Tree t = create_tree(*db, 1);
    // Only an operator's hand removes it; the store treats it as no pool: unlimited.
    raw_session(db.url())->exec("DELETE FROM licence_pools WHERE edition = 'vpc'");
    THEN("seats of it are granted and counted") {
      Consumer c = vgpu_consumer(1, t.root, t.gpu0, 1);
      c.seats = {{kVpc, 1}};
      ChangeSet cs;
      cs.add(PutConsumer{c, std::nullopt, {{kVpc, 1, false}}});
      db->commit(cs, kNow);
      CHECK(db->load().consumer(c.uuid)->seats == c.seats);
    }
  }
}

SCENARIO("vGPU rows go with their consumer", "[store][vgpu]") {
  GIVEN("a consumer with vGPUs on a GPU") {
    TestDatabase db;
    db->migrate();
    const Tree t = create_tree(*db, 1);
    put_host(*db, 1);
    const Consumer c = claim_seats(*db, 1, t.root, t.gpu0, 2);
    THEN("the GPU provider cannot be deleted while vGPUs sit on it") {
      ChangeSet cs;
      cs.add(DeleteProvider{t.gpu0, 0});
      CHECK(conflict_of([&] { db->commit(cs, kNow); }) == ConflictKind::kInUse);
    }
    WHEN("the consumer is deleted") {
      release(*db, c);
      THEN("its assignments and seats went with it: the GPU provider can be deleted") {
        ChangeSet cs;
        cs.add(DeleteProvider{t.gpu0, 0});
        db->commit(cs, kNow);
        const State s = db->load();
        CHECK(s.consumer(c.uuid) == nullptr);
        CHECK(s.provider(t.gpu0) == nullptr);
      }
      AND_WHEN("a consumer of the same uuid comes back without vGPUs") {
        ChangeSet cs;
        Consumer plain = vgpu_consumer(1, t.root, t.gpu0, 0);
        cs.add(PutConsumer{plain, std::nullopt, {}});
        db->commit(cs, kNow);
        THEN("it has none of the old rows") {
          const State s = db->load();
          const Consumer* loaded = s.consumer(c.uuid);
          REQUIRE(loaded != nullptr);
          CHECK(loaded->vgpus.empty());
          CHECK(loaded->seats.empty());
        }
      }
    }
  }
}

SCENARIO("profiles unknown to the running catalog load as -1", "[store][vgpu]") {
  GIVEN("a consumer with a vGPU written under a catalog that knew its profile") {
    TestDatabase db;
    db->migrate();
    const Tree t = create_tree(*db, 1);
    const Consumer c = claim_seats(*db, 1, t.root, t.gpu0, 1);
    const std::string url = db.url();
    db.release().reset();
    WHEN("the database is opened with a catalog that lacks every profile") {
      auto empty = std::make_shared<const vg::Catalog>();
      auto reopened = open_database(url, empty);
      THEN("the load works and the profile is -1") {
        const State s = reopened->load();
        REQUIRE(s.consumer(c.uuid) != nullptr);
        REQUIRE(s.consumer(c.uuid)->vgpus.size() == 1);
        CHECK(s.consumer(c.uuid)->vgpus[0].profile == -1);
      }
      THEN("writing a profile index outside it is refused, not written as garbage") {
        ChangeSet cs;
        cs.add(PutConsumer{vgpu_consumer(2, t.root, t.gpu0, 1), std::nullopt, {}});
        CHECK(conflict_of([&] { reopened->commit(cs, kNow); }) == ConflictKind::kMissing);
      }
    }
  }
}

SCENARIO("migration 0003 applies to a database at version 2 that holds data", "[store][vgpu]") {
  GIVEN("a database migrated to version 2 by hand, with a provider and a consumer") {
    TestDatabase db;
    const std::string url = db.url();
    {
      const std::unique_ptr<sql::Session> s = raw_session(url);
      const auto& migrations = *s->dialect().migrations;
      REQUIRE(migrations.size() >= 3);
      for (int v = 0; v < 2; ++v) {
        s->script("BEGIN");
        apply_migration(*s, migrations[static_cast<std::size_t>(v)], kNow);
        s->script("COMMIT");
      }
      s->script("BEGIN");
      sync_standard_names(*s);
      s->exec("INSERT INTO resource_providers (uuid, name, generation, created_at, updated_at) "
              "VALUES ($1, 'old-host', 3, $2, $2)",
              {uuid_of(0x01d, 1).str(), kNow});
      s->exec("INSERT INTO consumers (uuid, project_id, user_id, generation, created_at, "
              "updated_at) VALUES ($1, 'p', 'u', 1, $2, $2)",
              {uuid_of(0xc0, 1).str(), kNow});
      s->exec("INSERT INTO allocations (consumer_id, resource_provider_id, resource_class_id, "
              "used) SELECT c.id, p.id, 0, 2 FROM consumers c, resource_providers p",
              {});
      s->script("COMMIT");
    }
    REQUIRE(db->schema_version().current == 2);
    WHEN("migrate runs") {
      db->migrate();
      THEN("the schema is current, the data is kept, and the vGPU tables work") {
        CHECK(db->schema_version().current == db->schema_version().latest);
        const State s = db->load();
        const Provider* p = s.provider(uuid_of(0x01d, 1));
        REQUIRE(p != nullptr);
        CHECK(p->generation == 3);
        const Consumer* c = s.consumer(uuid_of(0xc0, 1));
        REQUIRE(c != nullptr);
        CHECK(c->allocations.size() == 1);
        CHECK(c->vgpus.empty());
        // The pools exist (unlimited) and count.
        Consumer next = *c;
        next.seats = {{kVws, 1}};
        ChangeSet cs;
        cs.add(PutConsumer{next, c->generation, {{kVws, 1, false}}});
        db->commit(cs, kNow);
        CHECK(db->load().consumer(c->uuid)->seats == next.seats);
      }
    }
  }
}

SCENARIO("PostgreSQL snapshots tell which transactions they saw", "[store]") {
  const auto s = TxSnapshot::parse("100:120:105,110");
  REQUIRE(s);
  CHECK(s->sees(99));
  CHECK(!s->sees(105));
  CHECK(s->sees(106));
  CHECK(!s->sees(110));
  CHECK(!s->sees(120));
  CHECK(!s->sees(0));
  CHECK(TxSnapshot::parse("5:5:")->sees(4));
  CHECK(!TxSnapshot::parse("x:5:"));
  CHECK(!TxSnapshot().sees(1));  // engines without ids: nothing is seen
}
