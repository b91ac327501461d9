// `check`: every rule a stored state breaks, one finding each.
#include <catch2/catch.hpp>

#include "scheduler/vgpu/state_check.hpp"
#include "tests/unit/vgpu/vgpu_fixture.hpp"

using namespace ::vgpu::scheduler;
using namespace ::vgpu::scheduler::test;
using ::vgpu::scheduler::vgpu::Edition;
using ::vgpu::scheduler::vgpu::GpuMode;
using ::vgpu::scheduler::vgpu::Severity;

namespace {

Fleet fleet() {
  Fleet f;
  f.host(1, "h1");
  f.gpu(2, "h1", "0000:84:00.0", "A40", GpuMode::equal_size, {"A40-4Q", "A40-8Q"});
  f.gpu(3, "h1", "0000:85:00.0", "A40", GpuMode::mixed_size, {"A40-4Q", "A40-8Q"});
  ChangeSet cs;
  Provider plain;
  plain.id = 20;
  plain.uuid = fixture_uuid(20);
  plain.name = "plain";
  plain.inventories[0] = Inventory{8, 0, 1, 8, 1, 1.0};
  cs.add(CreateProvider{plain});
  f.state = f.state.with_changes(cs);
  return f;
}

// Writes a consumer as stored, bypassing the claim rules (as a bad database row would).
void force(Fleet& f, int n, std::vector<Allocation> allocations, std::vector<VgpuAssignment> vgpus,
           std::vector<SeatHold> seats = {}) {
  Consumer c;
  c.id = 500 + n;
  c.uuid = fixture_uuid(1000 + n);
  c.allocations = std::move(allocations);
  c.vgpus = std::move(vgpus);
  c.seats = std::move(seats);
  ChangeSet cs;
  cs.add(PutConsumer{c, std::nullopt, {}});
  f.state = f.state.with_changes(cs);
}

std::vector<std::string> rules(const std::vector<vg::Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.rule);
  return out;
}

}  // namespace

TEST_CASE("a state built by claims breaks no rule", "[scheduler][vgpu][check]") {
  Fleet f = fleet();
  f.pools(Edition::rtx_vws, 10);
  REQUIRE(f.claim(1, {f.vgpus(2, "A40-4Q", 3)}).ok());
  REQUIRE(f.claim(2, {f.vgpus(3, "A40-4Q", 1), f.vgpus(3, "A40-8Q", 2)}).ok());
  REQUIRE(f.claim(3, {Allocation{20, 0, 2}}).ok());
  CHECK(vg::check_state(f.state, f.config).empty());
}

TEST_CASE("check findings, one rule at a time", "[scheduler][vgpu][check]") {
  Fleet f = fleet();
  const auto q4 = f.profile("A40-4Q");
  const auto q8 = f.profile("A40-8Q");
  const ClassId c4 = f.class_of("A40-4Q");
  const ClassId c8 = f.class_of("A40-8Q");

  SECTION("two profiles on an equal-size GPU") {
    force(f, 1, {{2, c4, 1}}, {{2, q4, 0}}, {{0, 1}});
    force(f, 2, {{2, c8, 1}}, {{2, q8, 0}}, {{0, 1}});
    const auto findings = vg::check_state(f.state, f.config);
    REQUIRE(rules(findings) == std::vector<std::string>{"gpu_rules"});
    CHECK(vg::to_string(findings[0]) ==
          "error gpu_rules GPU 0000:84:00.0 of host h1 (resource provider " +
              fixture_uuid(2).str() +
              "): equal-size mode allows one profile per GPU; it hosts A40-4Q, A40-8Q");
  }
  SECTION("overlapping mixed-size vGPUs") {
    force(f, 1, {{3, c8, 2}}, {{3, q8, 8}, {3, q8, 8}}, {{0, 1}});
    const auto findings = vg::check_state(f.state, f.config);
    REQUIRE(rules(findings) == std::vector<std::string>{"gpu_rules"});
    CHECK(findings[0].message.find("used by more than one vGPU") != std::string::npos);
  }
  SECTION("allocations without assignments, and assignments without allocations") {
    force(f, 1, {{2, c4, 2}}, {{2, q4, 0}}, {{0, 1}});
    force(f, 2, {{20, 0, 1}}, {{20, q4, 0}});
    const auto findings = vg::check_state(f.state, f.config);
    REQUIRE(rules(findings) == std::vector<std::string>{"assignments", "assignments"});
    CHECK(findings[0].message == "2 A40-4Q allocated on GPU 0000:84:00.0 of host h1 (resource "
                                 "provider " + fixture_uuid(2).str() + ") but 1 vGPUs of it assigned");
    CHECK(findings[1].message.find("not a managed GPU") != std::string::npos);
  }
  SECTION("seats: a pool over its total, its reserve, consumers without seats or vGPUs") {
    f.pools(Edition::rtx_vws, 2);
    force(f, 1, {{2, c4, 1}}, {{2, q4, 0}}, {{0, 2}});
    force(f, 2, {{2, c4, 1}}, {{2, q4, 0}}, {{0, 1}});
    force(f, 3, {{20, 0, 1}}, {}, {{2, 1}});
    force(f, 4, {{2, c4, 1}}, {{2, q4, 0}});
    const auto findings = vg::check_state(f.state, f.config);
    REQUIRE(rules(findings) == std::vector<std::string>{"licence", "licence", "licence"});
    CHECK(findings[0].where == "consumer " + fixture_uuid(1003).str());
    CHECK(findings[0].severity == Severity::warning);
    CHECK(findings[1].message == "has 1 vGPUs of edition rtx_vws but holds no seat of it");
    CHECK(vg::to_string(findings[2]) ==
          "error licence licence pool rtx_vws: 3 of 2 seats in use (reserve 0): over its total");
    f.pools(Edition::rtx_vws, 4, 2);
    const auto reserve = vg::check_state(f.state, f.config);
    CHECK(vg::to_string(reserve.back()) ==
          "warning licence licence pool rtx_vws: 3 of 4 seats in use (reserve 2): the reserve "
          "is in use (only administrators' claims may)");
  }
}

TEST_CASE("check of a loaded state: unknown profiles, providers gone", "[scheduler][vgpu][check]") {
  Fleet f;
  State& s = f.state;
  s = State();
  s.load_class(kFirstCustomClassId, "CUSTOM_VGPU_A40_4Q");
  Provider root;
  root.id = 1;
  root.uuid = fixture_uuid(1);
  root.name = "h1";
  Provider gpu;
  gpu.id = 2;
  gpu.uuid = fixture_uuid(2);
  gpu.name = "h1_pci_0000_84_00_0";
  gpu.parent = 1;
  gpu.inventories[kFirstCustomClassId] = Inventory{12, 0, 1, 12, 1, 1.0};
  s.load_provider(root);
  s.load_provider(gpu);
  s.link_trees();
  ManagedHost host;
  host.hostname = "h1";
  host.root_uuid = root.uuid;
  ManagedGpu g;
  g.provider_uuid = gpu.uuid;
  g.pci_address = "0000:84:00.0";
  g.gpu.board = *f.config.catalog.find_board("A40");
  g.gpu.supported = {f.profile("A40-4Q"), -1};  // a supported profile the catalog lost
  ManagedGpu gone = g;
  gone.provider_uuid = fixture_uuid(9);
  gone.pci_address = "0000:99:00.0";
  s.load_managed_host(host, {g, gone});
  Consumer c;
  c.id = 7;
  c.uuid = fixture_uuid(1007);
  c.allocations = {{2, kFirstCustomClassId, 1}};
  c.vgpus = {{2, -1, 0}};
  c.seats = {{0, 1}};
  s.load_consumer(c);
  s.derive_usage();

  const auto findings = vg::check_state(s, f.config);
  REQUIRE(rules(findings) == std::vector<std::string>{"unknown_profile", "unknown_profile",
                                                      "provider_gone", "unknown_profile",
                                                      "assignments", "assignments", "licence"});
  CHECK(findings[0].message == "1 of its supported profiles are not in the running catalog");
  CHECK(findings[1].message ==
        "a vGPU of consumer #7 at start 0 has a profile the running catalog does not have");
  CHECK(findings[2].message == "its GPU provider " + fixture_uuid(9).str() + " does not exist");
}
