// State::compacted: the rebuilt snapshot holds exactly what the grown one holds (providers with
// their derived usage, children and consumers, consumers with their vGPUs and seats, the vGPU
// layer with what sits on each GPU, the pools' use), shares no object with it, and takes writes
// like any other snapshot.
#include <catch2/catch.hpp>

#include "tests/unit/vgpu/vgpu_fixture.hpp"

using namespace ::vgpu::scheduler;
using namespace ::vgpu::scheduler::test;
using ::vgpu::scheduler::vgpu::GpuMode;

namespace {

void require_same_provider(const Provider& a, const Provider& b) {
  CHECK(a.id == b.id);
  CHECK(a.uuid == b.uuid);
  CHECK(a.name == b.name);
  CHECK(a.generation == b.generation);
  CHECK(a.parent == b.parent);
  CHECK(a.root == b.root);
  CHECK(a.inventories == b.inventories);
  CHECK(a.traits == b.traits);
  CHECK(a.aggregates == b.aggregates);
  CHECK(a.created_at == b.created_at);
  CHECK(a.updated_at == b.updated_at);
  CHECK(a.children == b.children);
  CHECK(a.usage == b.usage);
  CHECK(a.consumers == b.consumers);
}

void require_same_placed(const vg::GpuState& a, const vg::GpuState& b) {
  REQUIRE(a.placed.size() == b.placed.size());
  for (std::size_t i = 0; i < a.placed.size(); ++i) {
    CHECK(a.placed[i].profile == b.placed[i].profile);
    CHECK(a.placed[i].start == b.placed[i].start);
  }
}

void require_same_state(const State& a, const State& b) {
  CHECK(a.classes().sorted_by_id() == b.classes().sorted_by_id());
  CHECK(a.traits().sorted_by_id() == b.traits().sorted_by_id());
  REQUIRE(a.provider_count() == b.provider_count());
  for (const Provider* p : a.providers()) {
    const Provider* q = b.provider(p->id);
    REQUIRE(q);
    CHECK(q != p);  // rebuilt, not shared
    require_same_provider(*p, *q);
    CHECK(b.provider(p->uuid) == q);
    CHECK(b.provider_named(p->name) == q);
  }
  CHECK(a.root_ids() == b.root_ids());
  CHECK(a.sharing_ids() == b.sharing_ids());
  CHECK(a.has_nested() == b.has_nested());
  REQUIRE(a.consumer_count() == b.consumer_count());
  a.for_each_consumer([&](const Consumer& c) {
    const Consumer* d = b.consumer(c.uuid);
    REQUIRE(d);
    CHECK(d->id == c.id);
    CHECK(d->generation == c.generation);
    CHECK(d->allocations == c.allocations);
    CHECK(d->vgpus == c.vgpus);
    CHECK(d->seats == c.seats);
  });
  REQUIRE(a.managed_host_count() == b.managed_host_count());
  for (const ManagedHost* h : a.managed_hosts()) {
    const ManagedHost* k = b.managed_host(h->hostname);
    REQUIRE(k);
    CHECK(k->root == h->root);
    CHECK(k->state == h->state);
    CHECK(k->gpus == h->gpus);
    for (const Uuid& u : h->gpus) {
      const ManagedGpu* g = a.managed_gpu(a.provider(u)->id);
      const ManagedGpu* f = b.managed_gpu(b.provider(u)->id);
      REQUIRE(g);
      REQUIRE(f);
      CHECK(f->pci_address == g->pci_address);
      CHECK(f->gpu.mode == g->gpu.mode);
      CHECK(f->gpu.supported == g->gpu.supported);
      require_same_placed(f->gpu, g->gpu);
      CHECK(f->placed_by == g->placed_by);
    }
  }
  for (std::size_t e = 0; e < vg::kEditionCount; ++e) {
    CHECK(a.licence_pools().pools[e].total == b.licence_pools().pools[e].total);
    CHECK(a.licence_pools().pools[e].reserve == b.licence_pools().pools[e].reserve);
    CHECK(a.licence_pools().pools[e].used == b.licence_pools().pools[e].used);
  }
}

}  // namespace

SCENARIO("a compacted snapshot holds what the grown one holds", "[scheduler][state]") {
  GIVEN("two hosts with vGPUs placed, seats held, a draining host, a moved and a deleted VM") {
    Fleet f;
    f.pools(vg::Edition::rtx_vws, 10, 1);
    f.host(1, "h1");
    f.gpu(2, "h1", "0000:84:00.0", "A40", GpuMode::equal_size, {"A40-4Q", "A40-8Q"});
    f.gpu(3, "h1", "0000:85:00.0", "A40", GpuMode::mixed_size, {"A40-4Q", "A40-8Q"});
    f.host(4, "h2");
    f.gpu(5, "h2", "0000:84:00.0", "A40", GpuMode::equal_size, {"A40-4Q"});
    REQUIRE(f.claim(1, {f.vgpus(2, "A40-4Q", 2), Allocation{1, 0, 4}}).ok());
    REQUIRE(f.claim(2, {f.vgpus(3, "A40-8Q", 1)}).ok());
    REQUIRE(f.claim(3, {f.vgpus(3, "A40-4Q", 1)}).ok());
    REQUIRE(f.claim(4, {f.vgpus(5, "A40-4Q", 1)}).ok());
    REQUIRE(f.claim(4, {f.vgpus(2, "A40-4Q", 1)}).ok());  // moved from h2 to h1
    REQUIRE(f.claim(3, {}).ok());                          // deleted
    f.set_host_state("h2", vg::HostPowerState::draining);
    const State& grown = f.state;
    REQUIRE(grown.licence_pools()[vg::Edition::rtx_vws].used > 0);

    WHEN("it is compacted") {
      const State compact = grown.compacted();
      THEN("everything matches, object by object") { require_same_state(grown, compact); }
      THEN("it takes the next write as the grown one does") {
        Fleet g = f;
        g.state = compact;
        REQUIRE(f.claim(5, {f.vgpus(2, "A40-4Q", 1)}).ok());
        REQUIRE(g.claim(5, {g.vgpus(2, "A40-4Q", 1)}).ok());
        require_same_state(f.state, g.state);
      }
    }
  }
}
