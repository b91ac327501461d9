// The vGPU layer of State: managed hosts and GPUs, what sits on each GPU derived from the
// consumers' VgpuAssignments, and the pools' `used` from the seats held.
#include <catch2/catch.hpp>

#include "scheduler/model/state.hpp"

using namespace vgpu::scheduler;
namespace v = ::vgpu::scheduler::vgpu;

namespace {

constexpr ClassId kVgpuClass = 10001;

Uuid uuid_n(int n) {
  Uuid u;
  u.bytes[6] = 0x40;
  u.bytes[14] = static_cast<std::uint8_t>(n >> 8);
  u.bytes[15] = static_cast<std::uint8_t>(n);
  return u;
}

Provider make_provider(ProviderId id, const std::string& name, ProviderId parent = kNoProvider) {
  Provider p;
  p.id = id;
  p.uuid = uuid_n(static_cast<int>(id));
  p.name = name;
  p.parent = parent;
  if (parent != kNoProvider) p.inventories[kVgpuClass] = Inventory{12, 0, 1, 12, 1, 1.0};
  return p;
}

ManagedGpu make_gpu(ProviderId id, const std::string& pci) {
  ManagedGpu g;
  g.provider_uuid = uuid_n(static_cast<int>(id));
  g.pci_address = pci;
  g.gpu.board = 0;
  g.gpu.mode = v::GpuMode::equal_size;
  return g;
}

// Host h1: root 1, GPUs 2 and 3, managed; provider 4 is a plain child (not managed).
State fleet() {
  State s;
  s.load_class(kVgpuClass, "CUSTOM_VGPU_A40_4Q");
  ChangeSet cs;
  cs.add(CreateProvider{make_provider(1, "h1")});
  cs.add(CreateProvider{make_provider(2, "h1_pci_0000_84_00_0", 1)});
  cs.add(CreateProvider{make_provider(3, "h1_pci_0000_85_00_0", 1)});
  cs.add(CreateProvider{make_provider(4, "h1_pci_0000_86_00_0", 1)});
  ManagedHost host;
  host.hostname = "h1";
  host.root_uuid = uuid_n(1);
  cs.add(PutManagedHost{host, {make_gpu(2, "0000:84:00.0"), make_gpu(3, "0000:85:00.0")}});
  LicencePools pools;
  pools[v::Edition::rtx_vws].total = 10;
  pools[v::Edition::rtx_vws].reserve = 2;
  cs.add(SetLicencePools{pools});
  return s.with_changes(cs);
}

Consumer make_consumer(ConsumerId id, std::vector<VgpuAssignment> vgpus, std::int64_t seats) {
  Consumer c;
  c.id = id;
  c.uuid = uuid_n(1000 + static_cast<int>(id));
  for (const VgpuAssignment& a : vgpus) {
    auto it = std::find_if(c.allocations.begin(), c.allocations.end(),
                           [&](const Allocation& x) { return x.provider == a.gpu; });
    if (it == c.allocations.end()) c.allocations.push_back({a.gpu, kVgpuClass, 1});
    else ++it->used;
  }
  c.vgpus = std::move(vgpus);
  if (seats > 0) c.seats.push_back({static_cast<std::uint8_t>(v::Edition::rtx_vws), seats});
  return c;
}

State put(const State& s, Consumer c) {
  ChangeSet cs;
  cs.add(PutConsumer{std::move(c), std::nullopt, {}});
  return s.with_changes(cs);
}

std::vector<ConsumerId> placed_by(const State& s, ProviderId gpu) {
  return s.managed_gpu(gpu)->placed_by;
}

std::int64_t vws_used(const State& s) { return s.licence_pools()[v::Edition::rtx_vws].used; }

}  // namespace

SCENARIO("a managed host ties its GPUs to the providers of its tree", "[scheduler][vgpu]") {
  GIVEN("a host reported with two of its three GPU children") {
    const State s = fleet();
    THEN("the host and its GPUs are found by name, root and provider") {
      const ManagedHost* h = s.managed_host("h1");
      REQUIRE(h != nullptr);
      REQUIRE(h->root == 1);
      REQUIRE(h->gpus == std::vector<Uuid>{uuid_n(2), uuid_n(3)});
      REQUIRE(s.managed_host_of_root(1) == h);
      REQUIRE(s.managed_gpu(2)->provider == 2);
      REQUIRE(s.managed_gpu(2)->hostname == "h1");
      REQUIRE(s.managed_gpu(3)->pci_address == "0000:85:00.0");
      REQUIRE(s.managed_gpu(4) == nullptr);
      REQUIRE(s.managed_hosts().size() == 1);
    }
    THEN("the pools carry the configured totals and nothing used") {
      REQUIRE(s.licence_pools()[v::Edition::rtx_vws].total == 10);
      REQUIRE(s.licence_pools()[v::Edition::rtx_vws].reserve == 2);
      REQUIRE(vws_used(s) == 0);
      REQUIRE_FALSE(s.licence_pools()[v::Edition::vpc].total.has_value());
    }
    WHEN("the host is reported again with only GPU 3") {
      ChangeSet cs;
      ManagedHost host = *s.managed_host("h1");
      host.gpus.clear();
      cs.add(PutManagedHost{host, {make_gpu(3, "0000:85:00.0")}});
      const State s2 = s.with_changes(cs);
      THEN("GPU 2 is no longer managed, in the new snapshot only") {
        REQUIRE(s2.managed_gpu(2) == nullptr);
        REQUIRE(s2.managed_gpu(3) != nullptr);
        REQUIRE(s2.managed_host("h1")->gpus == std::vector<Uuid>{uuid_n(3)});
        REQUIRE(s.managed_gpu(2) != nullptr);
      }
    }
    WHEN("a second host is added") {
      ChangeSet cs;
      cs.add(CreateProvider{make_provider(10, "a0")});
      ManagedHost host;
      host.hostname = "a0";
      host.root_uuid = uuid_n(10);
      cs.add(PutManagedHost{host, {}});
      const State s2 = s.with_changes(cs);
      THEN("hosts are listed by hostname") {
        REQUIRE(s2.managed_hosts().size() == 2);
        REQUIRE(s2.managed_hosts()[0]->hostname == "a0");
        REQUIRE(s2.managed_hosts()[1]->hostname == "h1");
      }
    }
  }
}

SCENARIO("what sits on a GPU follows the consumers' vGPU assignments", "[scheduler][vgpu]") {
  GIVEN("a fleet with a consumer holding two vGPUs on GPU 2 and one seat") {
    const State s0 = fleet();
    const State s1 = put(s0, make_consumer(7, {{2, 5, 0}, {2, 5, 0}}, 1));

    THEN("GPU 2 has both vGPUs, placed by the consumer, and the pool one seat used") {
      const ManagedGpu* g = s1.managed_gpu(2);
      REQUIRE(g->gpu.placed.size() == 2);
      REQUIRE(g->gpu.placed[0].profile == 5);
      REQUIRE(placed_by(s1, 2) == std::vector<ConsumerId>{7, 7});
      REQUIRE(vws_used(s1) == 1);
    }
    THEN("the older snapshot is unchanged") {
      REQUIRE(s0.managed_gpu(2)->gpu.placed.empty());
      REQUIRE(vws_used(s0) == 0);
    }
    WHEN("another consumer takes a vGPU on the same GPU") {
      const State s2 = put(s1, make_consumer(8, {{2, 5, 0}}, 1));
      THEN("the GPU holds three, the pool two seats") {
        REQUIRE(placed_by(s2, 2) == std::vector<ConsumerId>{7, 7, 8});
        REQUIRE(vws_used(s2) == 2);
        REQUIRE(placed_by(s1, 2) == std::vector<ConsumerId>{7, 7});
      }
    }
    WHEN("the consumer is re-put with one vGPU on GPU 3 instead") {
      const State s2 = put(s1, make_consumer(7, {{3, 5, 0}}, 1));
      THEN("its old vGPUs and seat go away first") {
        REQUIRE(s2.managed_gpu(2)->gpu.placed.empty());
        REQUIRE(placed_by(s2, 3) == std::vector<ConsumerId>{7});
        REQUIRE(vws_used(s2) == 1);
      }
    }
    WHEN("the consumer is deleted") {
      ChangeSet cs;
      const Consumer* c = s1.consumer(uuid_n(1007));
      cs.add(DeleteConsumer{c->id, c->uuid, c->generation, {}});
      const State s2 = s1.with_changes(cs);
      THEN("its vGPUs and seat are released") {
        REQUIRE(s2.managed_gpu(2)->gpu.placed.empty());
        REQUIRE(vws_used(s2) == 0);
        REQUIRE(vws_used(s1) == 1);
      }
    }
    WHEN("the pools are reconfigured") {
      ChangeSet cs;
      LicencePools pools;
      pools[v::Edition::rtx_vws].total = 4;
      pools[v::Edition::rtx_vws].used = 99;  // ignored: `used` follows the seats held
      cs.add(SetLicencePools{pools});
      const State s2 = s1.with_changes(cs);
      THEN("totals change and `used` stays derived") {
        REQUIRE(s2.licence_pools()[v::Edition::rtx_vws].total == 4);
        REQUIRE(s2.licence_pools()[v::Edition::rtx_vws].reserve == 0);
        REQUIRE(vws_used(s2) == 1);
      }
    }
    WHEN("the host is reported again") {
      ChangeSet cs;
      ManagedHost host = *s1.managed_host("h1");
      cs.add(PutManagedHost{host, {make_gpu(2, "0000:84:00.0"), make_gpu(3, "0000:85:00.0")}});
      const State s2 = s1.with_changes(cs);
      THEN("what is placed is derived again, not taken from the report") {
        REQUIRE(placed_by(s2, 2) == std::vector<ConsumerId>{7, 7});
      }
    }
  }
  GIVEN("a consumer with assignments in mixed-size order") {
    const State s = put(fleet(), make_consumer(9, {{3, 1, 8}, {3, 1, 0}, {3, 2, 4}}, 0));
    THEN("placed vGPUs are ordered by start") {
      const auto& placed = s.managed_gpu(3)->gpu.placed;
      REQUIRE(placed.size() == 3);
      REQUIRE(placed[0].start == 0);
      REQUIRE(placed[1].start == 4);
      REQUIRE(placed[1].profile == 2);
      REQUIRE(placed[2].start == 8);
    }
  }
}

SCENARIO("deleting providers drops them from the vGPU layer", "[scheduler][vgpu]") {
  GIVEN("the fleet") {
    const State s = fleet();
    WHEN("GPU 3's provider is deleted") {
      ChangeSet cs;
      cs.add(DeleteProvider{3, 0});
      const State s2 = s.with_changes(cs);
      THEN("it is no longer managed nor listed by its host") {
        REQUIRE(s2.managed_gpu(3) == nullptr);
        REQUIRE(s2.managed_host("h1")->gpus == std::vector<Uuid>{uuid_n(2)});
        REQUIRE(s.managed_gpu(3) != nullptr);
      }
    }
    WHEN("the whole tree is deleted, children first") {
      ChangeSet cs;
      cs.add(DeleteProvider{2, 0});
      cs.add(DeleteProvider{3, 0});
      cs.add(DeleteProvider{4, 0});
      cs.add(DeleteProvider{1, 0});
      const State s2 = s.with_changes(cs);
      THEN("the host goes with its root") {
        REQUIRE(s2.managed_host("h1") == nullptr);
        REQUIRE(s2.managed_host_of_root(1) == nullptr);
        REQUIRE(s2.managed_hosts().empty());
        REQUIRE(s.managed_host("h1") != nullptr);
      }
    }
  }
}

SCENARIO("a state loaded from the database derives placements and seats", "[scheduler][vgpu]") {
  GIVEN("providers, a managed host, pools and two consumers loaded in any order") {
    State s;
    s.load_class(kVgpuClass, "CUSTOM_VGPU_A40_4Q");
    s.load_provider(make_provider(2, "h1_pci_0000_84_00_0", 1));
    s.load_provider(make_provider(1, "h1"));
    s.link_trees();
    ManagedHost host;
    host.hostname = "h1";
    host.root_uuid = uuid_n(1);
    // GPU provider 5 does not exist: listed by the host, not managed (`check` reports it).
    s.load_managed_host(host, {make_gpu(2, "0000:84:00.0"), make_gpu(5, "0000:99:00.0")});
    LicencePools pools;
    pools[v::Edition::rtx_vws].total = 10;
    pools[v::Edition::rtx_vws].used = 42;  // the database's counter; memory derives its own
    s.load_licence_pools(pools);
    s.load_consumer(make_consumer(8, {{2, 5, 0}}, 1));
    s.load_consumer(make_consumer(7, {{2, 5, 0}, {2, 5, 0}}, 2));
    s.derive_usage();
    THEN("the GPU holds the three vGPUs and the pool three seats") {
      REQUIRE(placed_by(s, 2) == std::vector<ConsumerId>{7, 7, 8});
      REQUIRE(vws_used(s) == 3);
      REQUIRE(s.licence_pools()[v::Edition::rtx_vws].total == 10);
      REQUIRE(s.provider(2)->usage.find(kVgpuClass) != nullptr);
      REQUIRE(*s.provider(2)->usage.find(kVgpuClass) == 3);
    }
    THEN("the missing GPU is listed by the host but not managed") {
      REQUIRE(s.managed_host("h1")->gpus.size() == 2);
      REQUIRE(s.managed_gpu(5) == nullptr);
    }
  }
}
