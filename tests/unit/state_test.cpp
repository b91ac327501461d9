#include <catch2/catch.hpp>

#include "scheduler/model/state.hpp"

using namespace vgpu::scheduler;

namespace {

Provider make(ProviderId id, const char* uuid, const char* name, ProviderId parent = kNoProvider) {
  Provider p;
  p.id = id;
  p.uuid = *Uuid::parse(uuid);
  p.name = name;
  p.parent = parent;
  return p;
}

constexpr const char* kRoot = "11111111-1111-1111-1111-111111111111";
constexpr const char* kChild = "22222222-2222-2222-2222-222222222222";
constexpr const char* kOther = "33333333-3333-3333-3333-333333333333";

}  // namespace

SCENARIO("a snapshot applies committed changes without disturbing older snapshots", "[scheduler]") {
  GIVEN("a state with one root provider") {
    State s0;
    ChangeSet create;
    create.add(CreateProvider{make(1, kRoot, "host1")});
    const State s1 = s0.with_changes(create);

    WHEN("a child is created under it") {
      ChangeSet child;
      child.add(CreateProvider{make(2, kChild, "host1_pci_0000_84_00_0", 1)});
      const State s2 = s1.with_changes(child);

      THEN("the child's root is the host and the host lists the child") {
        REQUIRE(s2.provider(2)->root == 1);
        REQUIRE(s2.provider(1)->children == std::vector<ProviderId>{2});
        REQUIRE(s2.subtree(1).size() == 2);
      }
      THEN("the older snapshot still has no child") {
        REQUIRE(s1.provider(2) == nullptr);
        REQUIRE(s1.provider(1)->children.empty());
      }
      AND_WHEN("the child is re-parented to another root") {
        ChangeSet more;
        more.add(CreateProvider{make(3, kOther, "host2")});
        Provider moved = *s2.provider(2);
        moved.parent = 3;
        more.add(UpdateProvider{moved, moved.generation, kProviderFields});
        const State s3 = s2.with_changes(more);
        THEN("roots and children follow") {
          REQUIRE(s3.provider(2)->root == 3);
          REQUIRE(s3.provider(1)->children.empty());
          REQUIRE(s3.provider(3)->children == std::vector<ProviderId>{2});
        }
      }
      AND_WHEN("the child is renamed and then deleted") {
        ChangeSet rename;
        Provider renamed = *s2.provider(2);
        renamed.name = "gpu";
        rename.add(UpdateProvider{renamed, 0, kProviderFields});
        const State s3 = s2.with_changes(rename);
        ChangeSet del;
        del.add(DeleteProvider{2, 0});
        const State s4 = s3.with_changes(del);
        THEN("lookups by name follow and the parent forgets the child") {
          REQUIRE(s3.provider_named("gpu") != nullptr);
          REQUIRE(s3.provider_named("host1_pci_0000_84_00_0") == nullptr);
          REQUIRE(s4.provider(*Uuid::parse(kChild)) == nullptr);
          REQUIRE(s4.provider(1)->children.empty());
          REQUIRE(s4.provider_count() == 1);
        }
      }
    }
  }
}

SCENARIO("classes and traits in use are detected", "[scheduler]") {
  State s;
  s.load_class(0, "VCPU");
  s.load_trait(1, "CUSTOM_A");
  Provider p = make(1, kRoot, "h");
  p.inventories[0] = Inventory{8};
  p.traits = {1};
  s.load_provider(p);
  s.link_trees();
  REQUIRE(s.class_in_use(0));
  REQUIRE(s.trait_in_use(1));
  REQUIRE_FALSE(s.trait_in_use(2));
}

TEST_CASE("uuids parse in dashed and plain form and print canonically", "[scheduler]") {
  auto dashed = Uuid::parse("2290D4AF-9e6e-400b-9d65-1ee01376f71a");
  auto plain = Uuid::parse("2290d4af9e6e400b9d651ee01376f71a");
  REQUIRE(dashed);
  REQUIRE(plain);
  REQUIRE(*dashed == *plain);
  REQUIRE(dashed->str() == "2290d4af-9e6e-400b-9d65-1ee01376f71a");
  REQUIRE_FALSE(Uuid::parse("2290d4af-9e6e-400b-9d65-1ee01376f71"));
  REQUIRE_FALSE(Uuid::parse("2290d4af9-e6e-400b-9d65-1ee01376f71a"));
  REQUIRE_FALSE(Uuid::parse("zz90d4af-9e6e-400b-9d65-1ee01376f71a"));
}

TEST_CASE("inventory capacity follows Placement's rounding", "[scheduler]") {
  // (total - reserved) * ratio, truncated
  REQUIRE(Inventory{10, 2, 1, 10, 1, 1.5}.capacity() == 12);  // 8 * 1.5
  REQUIRE(Inventory{3, 0, 1, 3, 1, 0.5}.capacity() == 1);     // 1.5 -> 1
  REQUIRE(Inventory{4, 4, 1, 4, 1, 16.0}.capacity() == 0);
}
