// POST /reshaper's plan: claims checked against the interim inventories, removed classes still
// in use refused, and upstream's generation steps in the ChangeSet.
#include <catch2/catch.hpp>

#include "api/handlers/reshaper.hpp"
#include "scheduler/allocation/claim_changes.hpp"
#include "tests/unit/allocation_fixture.hpp"

using namespace vgpu::scheduler;
using namespace ::vgpu::scheduler::test;
using ::vgpu::api::InventoryReplacement;
using ::vgpu::api::plan_reshape;

namespace {

constexpr ClassId kVgpu = 5;
constexpr ProviderId kPgpu = 3;

// The compute node ("host", 8 VCPU) also has 4 VGPU; a child pGPU provider has nothing yet;
// consumer 1 holds 2 VGPU and 1 VCPU on the compute node.
State vgpu_state() {
  State s = allocation_state();
  s.load_class(kVgpu, "VGPU");
  Provider host = *s.provider(kHost);
  host.inventories[kVgpu] = Inventory{4, 0, 1, 4, 1, 1.0};
  host.generation = 7;
  Provider pgpu;
  pgpu.id = kPgpu;
  pgpu.uuid = uuid_of(103);
  pgpu.name = "pgpu";
  pgpu.parent = kHost;
  pgpu.generation = 2;
  s.load_provider(host);
  s.load_provider(pgpu);
  s.link_trees();
  Consumer c;
  c.id = 1;
  c.uuid = uuid_of(1);
  c.project_id = "project";
  c.user_id = "user";
  c.generation = 1;
  c.allocations = {{kHost, kVcpu, 1}, {kHost, kVgpu, 2}};
  s.load_consumer(c);
  s.derive_usage();
  return s;
}

FlatMap<ClassId, Inventory> inventories(std::initializer_list<std::pair<ClassId, Inventory>> items) {
  FlatMap<ClassId, Inventory> out;
  for (const auto& [rc, inv] : items) out[rc] = inv;
  return out;
}

const Inventory kHostVcpu{8, 0, 1, 4, 1, 2.0};

std::int64_t used(const State& s, ProviderId p, ClassId c) {
  const std::int64_t* u = s.provider(p)->usage.find(c);
  return u ? *u : 0;
}

// The UpdateProviders of one provider, in order.
std::vector<UpdateProvider> steps_of(const ChangeSet& cs, ProviderId id) {
  std::vector<UpdateProvider> out;
  for (const Change& c : cs.changes)
    if (const auto* u = std::get_if<UpdateProvider>(&c); u && u->provider.id == id) out.push_back(*u);
  return out;
}

}  // namespace

SCENARIO("moving VGPU inventory and allocations from the compute node to a pGPU", "[reshaper]") {
  const State s0 = vgpu_state();
  const std::vector<InventoryReplacement> move = {
      {kHost, inventories({{kVcpu, kHostVcpu}})},
      {kPgpu, inventories({{kVgpu, Inventory{4, 0, 1, 4, 1, 1.0}}})}};

  GIVEN("the consumer's VGPU moves with the inventory") {
    const auto plan = plan_reshape(
        s0, move, {claim(1, {{kHost, kVcpu, 1}, {kPgpu, kVgpu, 2}})}, 100);
    REQUIRE(plan.ok());
    THEN("each provider's generation is checked at every step, as upstream bumps it") {
      // compute node: interim inventories, (allocations on it change) , final inventories
      const auto host = steps_of(plan.changes, kHost);
      REQUIRE(host.size() == 3);
      CHECK(host[0].expected_generation == 7);
      CHECK(host[1].expected_generation == 8);
      CHECK(host[2].expected_generation == 9);
      CHECK(host[0].parts == 0u);
      CHECK(host[2].parts == kProviderInventories);
      const auto pgpu = steps_of(plan.changes, kPgpu);
      REQUIRE(pgpu.size() == 3);
      CHECK(pgpu[0].expected_generation == 2);
      CHECK(pgpu[2].expected_generation == 4);
    }
    THEN("providers come first, in id order, then the consumer") {
      REQUIRE(plan.changes.changes.size() == 7);
      CHECK(std::get<UpdateProvider>(plan.changes.changes[0]).provider.id == kHost);
      CHECK(std::get<UpdateProvider>(plan.changes.changes[3]).provider.id == kPgpu);
      CHECK(std::holds_alternative<PutConsumer>(plan.changes.changes[6]));
    }
    THEN("the next snapshot has the inventory and the usage on the pGPU") {
      const State s1 = s0.with_changes(plan.changes);
      CHECK_FALSE(s1.provider(kHost)->inventories.contains(kVgpu));
      CHECK(s1.provider(kPgpu)->inventories.contains(kVgpu));
      CHECK(used(s1, kHost, kVgpu) == 0);
      CHECK(used(s1, kHost, kVcpu) == 1);
      CHECK(used(s1, kPgpu, kVgpu) == 2);
      CHECK(s1.provider(kHost)->generation == 10);
      CHECK(s1.provider(kPgpu)->generation == 5);
      CHECK(s1.consumer(uuid_of(1))->generation == 2);
    }
  }

  GIVEN("the allocations are left on the compute node") {
    const auto plan = plan_reshape(s0, move, {}, 100);
    THEN("the removed VGPU inventory is in use") {
      CHECK(plan.refusal.ok());
      CHECK(plan.in_use_provider == kHost);
      CHECK(plan.in_use_classes == std::vector<ClassId>{kVgpu});
      CHECK(plan.changes.empty());
    }
  }

  GIVEN("a claim that still names the class the compute node drops") {
    const auto plan =
        plan_reshape(s0, move, {claim(1, {{kHost, kVcpu, 1}, {kHost, kVgpu, 1}})}, 100);
    THEN("it fits the interim inventories, but the final ones refuse it") {
      CHECK(plan.refusal.ok());
      CHECK(plan.in_use_classes == std::vector<ClassId>{kVgpu});
    }
  }

  GIVEN("a new pGPU inventory too small for what moves onto it") {
    const std::vector<InventoryReplacement> small = {
        {kHost, inventories({{kVcpu, kHostVcpu}})},
        {kPgpu, inventories({{kVgpu, Inventory{1, 0, 1, 1, 1, 1.0}}})}};
    const auto plan = plan_reshape(
        s0, small, {claim(1, {{kHost, kVcpu, 1}, {kPgpu, kVgpu, 2}})}, 100);
    THEN("the claim is checked against the new inventory") {
      CHECK(plan.refusal.refusal == allocation::Refusal::kConstraints);  // max_unit 1
      CHECK(plan.refusal.providers == std::vector<ProviderId>{kPgpu});
    }
  }

  GIVEN("a new inventory that only shrinks below the current usage") {
    const std::vector<InventoryReplacement> shrink = {
        {kHost, inventories({{kVcpu, kHostVcpu}, {kVgpu, Inventory{1, 0, 1, 4, 1, 1.0}}})}};
    THEN("without claims it is accepted, as upstream's set_inventory only warns") {
      CHECK(plan_reshape(s0, shrink, {}, 100).ok());
    }
    THEN("a claim on it is checked against the new capacity") {
      const auto plan =
          plan_reshape(s0, shrink, {claim(1, {{kHost, kVcpu, 1}, {kHost, kVgpu, 2}})}, 100);
      CHECK(plan.refusal.refusal == allocation::Refusal::kCapacity);
    }
  }
}

SCENARIO("moving everything back empties the pGPU", "[reshaper]") {
  State s0 = vgpu_state();
  const auto there = plan_reshape(
      s0,
      {{kHost, inventories({{kVcpu, kHostVcpu}})},
       {kPgpu, inventories({{kVgpu, Inventory{4, 0, 1, 4, 1, 1.0}}})}},
      {claim(1, {{kHost, kVcpu, 1}, {kPgpu, kVgpu, 2}})}, 100);
  REQUIRE(there.ok());
  const State s1 = s0.with_changes(there.changes);

  GIVEN("an empty inventory set for the pGPU and the consumer released") {
    const auto back = plan_reshape(
        s1,
        {{kHost, inventories({{kVcpu, kHostVcpu}, {kVgpu, Inventory{4, 0, 1, 4, 1, 1.0}}})},
         {kPgpu, {}}},
        {claim(1, {})}, 200);
    REQUIRE(back.ok());
    THEN("the pGPU skips the interim step but is bumped for the release and the final set") {
      const auto pgpu = steps_of(back.changes, kPgpu);
      REQUIRE(pgpu.size() == 2);
      CHECK(pgpu[0].expected_generation == 5);
      CHECK(pgpu.back().parts == kProviderInventories);
      // The compute node: interim, release (the emptied consumer held VCPU there), final.
      CHECK(steps_of(back.changes, kHost).size() == 3);
      const State s2 = s1.with_changes(back.changes);
      CHECK(s2.consumer(uuid_of(1)) == nullptr);
      CHECK(s2.provider(kPgpu)->inventories.empty());
      CHECK(s2.provider(kPgpu)->usage.empty());
    }
  }
}
