// Host reports -> Nova-shaped provider trees: creation in one step (new names and root by provisional id),
// adoption of existing providers, idempotence, both namings, validation naming the field,
// refusal to drop a GPU in use, and the live-vGPU comparison.
#include <catch2/catch.hpp>

#include "scheduler/model/provisional_id.hpp"
#include "scheduler/vgpu/host_tree.hpp"
#include "tests/unit/vgpu/vgpu_fixture.hpp"

using namespace ::vgpu::scheduler;
using namespace ::vgpu::scheduler::test;
using ::vgpu::scheduler::vgpu::GpuMode;

namespace {

// Commits plans like the API: ids for new entities as a store would assign them.
struct Reporter {
  Fleet fleet;
  ProviderId next_provider = 500;
  TraitId next_trait = 900;
  int next_uuid = 3000;
  int steps = 0;

  vg::HostTreePlan plan(const vg::HostReport& r) {
    return vg::plan_host_tree(fleet.state, fleet.config, r, 7, [&] { return fixture_uuid(next_uuid++); });
  }
  // As the store does: in order, each created entity gets its id, bound into the later changes.
  void commit(ChangeSet cs) {
    for (std::size_t i = 0; i < cs.changes.size(); ++i) {
      Change& c = cs.changes[i];
      if (auto* a = std::get_if<AddResourceClass>(&c)) a->id = fleet.next_class++;
      if (auto* a = std::get_if<AddTrait>(&c)) a->id = next_trait++;
      if (auto* a = std::get_if<CreateProvider>(&c)) a->provider.id = next_provider++;
      bind_provisional_id(cs, i);
    }
    REQUIRE_FALSE(has_provisional_ids(cs));
    fleet.state = fleet.state.with_changes(cs);
    ++steps;
  }
  // One plan, one commit; the plan.
  vg::HostTreePlan report(const vg::HostReport& r) {
    vg::HostTreePlan p = plan(r);
    if (!p.error) commit(p.changes);
    return p;
  }
};

vg::ReportedGpu a40(const std::string& pci, std::vector<std::string> profiles,
                    VgpuNaming naming = VgpuNaming::resource_class) {
  vg::ReportedGpu g;
  g.pci_address = pci;
  g.board = "A40";
  g.supported_profiles = std::move(profiles);
  g.naming = naming;
  return g;
}

vg::HostReport h1() {
  vg::HostReport r;
  r.hostname = "h1";
  r.idle_watts = 100;
  r.gpus.push_back(a40("0000:84:00.0", {"A40-4Q", "A40-8Q"}));
  r.gpus.push_back(a40("0000:85:00.0", {"A40-4Q", "A40-8Q"}, VgpuNaming::trait));
  return r;
}

std::size_t count_of(const ChangeSet& cs, std::size_t index) {
  std::size_t n = 0;
  for (const Change& c : cs.changes) n += c.index() == index ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("a new host becomes a Nova-shaped tree", "[scheduler][vgpu][host]") {
  Reporter r;
  r.fleet.state.load_trait(1, "HW_CPU_X86_AVX");
  const vg::HostTreePlan last = r.report(h1());
  REQUIRE_FALSE(last.error);
  REQUIRE(r.steps == 1);  // classes, traits, the root and the tree in one ChangeSet
  const State& s = r.fleet.state;

  const Provider* root = s.provider_named("h1");
  REQUIRE(root);
  REQUIRE(root->parent == kNoProvider);
  REQUIRE(root->children.size() == 2);

  const Provider* rc = s.provider_named("h1_pci_0000_84_00_0");
  REQUIRE(rc);
  REQUIRE(rc->parent == root->id);
  const ClassId q4 = *s.classes().id_of("CUSTOM_VGPU_A40_4Q");
  const ClassId q8 = *s.classes().id_of("CUSTOM_VGPU_A40_8Q");
  REQUIRE(rc->inventories.size() == 2);
  CHECK(*rc->inventories.find(q4) == Inventory{12, 0, 1, 12, 1, 1.0});
  CHECK(*rc->inventories.find(q8) == Inventory{6, 0, 1, 6, 1, 1.0});
  CHECK(rc->traits.empty());

  const Provider* tr = s.provider_named("h1_pci_0000_85_00_0");
  REQUIRE(tr);
  REQUIRE(tr->inventories.size() == 1);
  CHECK(*tr->inventories.find(5) == Inventory{12, 0, 1, 12, 1, 1.0});  // VGPU: the larger max
  std::vector<std::string> traits;
  for (TraitId t : tr->traits) traits.push_back(*s.traits().name_of(t));
  std::sort(traits.begin(), traits.end());
  CHECK(traits == std::vector<std::string>{"CUSTOM_NVIDIA_A40_4Q", "CUSTOM_NVIDIA_A40_8Q"});

  const ManagedHost* host = s.managed_host("h1");
  REQUIRE(host);
  CHECK(host->root == root->id);
  CHECK(host->idle_watts == 100);
  REQUIRE(host->gpus == std::vector<Uuid>{rc->uuid, tr->uuid});
  const ManagedGpu* g = s.managed_gpu(rc->id);
  REQUIRE(g);
  CHECK(g->pci_address == "0000:84:00.0");
  CHECK(g->gpu.supported.size() == 2);
  CHECK(s.managed_gpu(tr->id)->naming == VgpuNaming::trait);

  SECTION("a second identical report changes no provider") {
    const vg::HostTreePlan again = r.plan(h1());
    REQUIRE_FALSE(again.error);
    REQUIRE(again.changes.changes.size() == 1);
    REQUIRE(std::holds_alternative<PutManagedHost>(again.changes.changes[0]));
  }
  SECTION("a changed profile list rewrites that GPU's inventory only") {
    vg::HostReport changed = h1();
    changed.gpus[0].supported_profiles = {"A40-4Q"};
    const vg::HostTreePlan p = r.plan(changed);
    REQUIRE(count_of(p.changes, 6) == 1);  // UpdateProvider
    r.commit(p.changes);
    REQUIRE(r.fleet.state.provider_named("h1_pci_0000_84_00_0")->inventories.size() == 1);
  }
  SECTION("a GPU no longer reported loses its provider") {
    vg::HostReport fewer = h1();
    fewer.gpus.pop_back();
    const vg::HostTreePlan p = r.plan(fewer);
    REQUIRE_FALSE(p.error);
    REQUIRE(count_of(p.changes, 7) == 1);  // DeleteProvider
    r.commit(p.changes);
    REQUIRE(r.fleet.state.provider_named("h1_pci_0000_85_00_0") == nullptr);
    REQUIRE(r.fleet.state.managed_host("h1")->gpus.size() == 1);
  }
  SECTION("but not while vGPUs are on it") {
    REQUIRE(r.fleet.claim(1, {Allocation{tr->id, 5, 1}}).refusal->rule == "ambiguous_profile");
    REQUIRE(r.fleet.claim(1, {Allocation{rc->id, q4, 2}}).ok());
    vg::HostReport fewer = h1();
    fewer.gpus.erase(fewer.gpus.begin());
    const vg::HostTreePlan p = r.plan(fewer);
    REQUIRE(p.error);
    CHECK(p.error_is_conflict);  // the state is in the way, not the report: 409
    CHECK(*p.error ==
          "gpus: GPU 0000:84:00.0 (provider \"h1_pci_0000_84_00_0\") is no longer reported but "
          "has allocations; move or delete them first");
    SECTION("nor its mode changed") {
      vg::HostReport mixed = h1();
      mixed.gpus[0].mode = GpuMode::mixed_size;
      REQUIRE(r.plan(mixed).error->rfind("gpus[0].mode: GPU 0000:84:00.0 holds 2 vGPUs", 0) == 0);
    }
    SECTION("nor the allocated profile dropped") {
      vg::HostReport other = h1();
      other.gpus[0].supported_profiles = {"A40-8Q"};
      REQUIRE(*r.plan(other).error ==
              "gpus[0]: GPU 0000:84:00.0 has 2 CUSTOM_VGPU_A40_4Q allocated; the report leaves 0");
    }
  }
}

TEST_CASE("existing providers are adopted, not duplicated", "[scheduler][vgpu][host]") {
  Reporter r;
  r.fleet.state.load_trait(1, "CUSTOM_VGPU_PLACEMENT");
  ChangeSet cs;
  Provider root;
  root.id = 1;
  root.uuid = fixture_uuid(1);
  root.name = "h1";
  root.inventories[0] = Inventory{32, 0, 1, 32, 1, 1.0};
  Provider child;
  child.id = 2;
  child.uuid = fixture_uuid(2);
  child.name = "h1_pci_0000_84_00_0";
  child.parent = 1;
  child.inventories[5] = Inventory{4, 0, 1, 4, 1, 1.0};  // Nova's VGPU inventory
  child.traits = {1};                                     // the charm's trait
  cs.add(CreateProvider{root});
  cs.add(CreateProvider{child});
  r.fleet.state = r.fleet.state.with_changes(cs);

  vg::HostReport rep;
  rep.hostname = "h1";
  rep.gpus.push_back(a40("0000:84:00.0", {"A40-4Q"}));
  REQUIRE_FALSE(r.report(rep).error);
  REQUIRE(r.steps == 1);  // the new class and the adopted tree together
  const State& s = r.fleet.state;
  REQUIRE(s.provider_count() == 2);
  const Provider* c = s.provider(2);
  REQUIRE(c->inventories.size() == 1);  // VGPU replaced by the profile's class
  REQUIRE(c->inventories.find(*s.classes().id_of("CUSTOM_VGPU_A40_4Q")));
  REQUIRE(c->traits == std::vector<TraitId>{1});  // kept
  REQUIRE(s.provider(1)->inventories.size() == 1);  // the root is left alone
  REQUIRE(s.managed_host("h1")->root == 1);
  REQUIRE(s.managed_gpu(2) != nullptr);
}

TEST_CASE("bad reports name the field", "[scheduler][vgpu][host]") {
  struct Row {
    const char* what;
    std::function<void(vg::HostReport&)> change;
    const char* error;
  };
  const std::vector<Row> rows = {
      {"no hostname", [](vg::HostReport& r) { r.hostname.clear(); }, "hostname: must not be empty"},
      {"unknown board", [](vg::HostReport& r) { r.gpus[1].board = "A41"; },
       "gpus[1].board: unknown board \"A41\""},
      {"unknown profile", [](vg::HostReport& r) { r.gpus[0].supported_profiles = {"A40-5Q"}; },
       "gpus[0].supported_profiles[0]: unknown profile \"A40-5Q\""},
      {"profile of another board",
       [](vg::HostReport& r) { r.gpus[0].supported_profiles = {"A40-4Q", "A100-4C"}; },
       "gpus[0].supported_profiles[1]: A100-4C is a profile of board A100, not A40"},
      {"mode the board lacks", [](vg::HostReport& r) { r.gpus[0].mode = GpuMode::mig; },
       "gpus[0].mode: board A40 has no MIG mode"},
      {"duplicate PCI address", [](vg::HostReport& r) { r.gpus[1].pci_address = "0000:84:00.0"; },
       "gpus[1].pci_address: 0000:84:00.0 is reported twice (gpus[0] and gpus[1])"},
      {"bad PCI address", [](vg::HostReport& r) { r.gpus[0].pci_address = "84:00.0"; },
       "gpus[0].pci_address: \"84:00.0\" is not a PCI address (dddd:bb:dd.f)"},
      {"bad power", [](vg::HostReport& r) { r.gpus[0].power.idle_watts = -1; },
       nullptr},
      {"live vGPU on an unreported GPU",
       [](vg::HostReport& r) { r.vgpus.push_back({"A40-4Q", "0000:99:00.0", {}, {}}); },
       "vgpus[0].gpu: no reported GPU \"0000:99:00.0\""},
  };
  for (const Row& row : rows) {
    SECTION(row.what) {
      Reporter r;
      vg::HostReport rep = h1();
      row.change(rep);
      const vg::HostTreePlan p = r.plan(rep);
      REQUIRE(p.error);
      CHECK_FALSE(p.error_is_conflict);  // a bad report: 400
      if (row.error) CHECK(*p.error == row.error);
      else CHECK(p.error->rfind("power: ", 0) == 0);
      REQUIRE(p.changes.empty());
    }
  }
  SECTION("a hostname that names a child provider") {
    Reporter r;
    REQUIRE_FALSE(r.report(h1()).error);
    vg::HostReport rep;
    rep.hostname = "h1_pci_0000_84_00_0";
    REQUIRE(*r.plan(rep).error ==
            "hostname: provider \"h1_pci_0000_84_00_0\" exists but is not a root provider");
  }
}

TEST_CASE("provider names and PCI addresses", "[scheduler][vgpu][host]") {
  CHECK(vg::gpu_provider_name("compute1.maas", "0000:84:00.0") == "compute1.maas_pci_0000_84_00_0");
  CHECK(vg::gpu_provider_name("h", "0000:AF:00.1") == "h_pci_0000_af_00_1");
  CHECK(vg::valid_pci_address("0000:af:1f.7"));
  CHECK_FALSE(vg::valid_pci_address("0000:af:1f.8"));
  CHECK_FALSE(vg::valid_pci_address("0000:af:1f"));
  CHECK_FALSE(vg::valid_pci_address("000g:af:1f.0"));
}

TEST_CASE("live vGPUs compared with the state", "[scheduler][vgpu][host]") {
  Reporter r;
  vg::HostReport rep;
  rep.hostname = "h1";
  rep.gpus.push_back(a40("0000:84:00.0", {"A40-4Q", "A40-8Q"}));
  r.report(rep);
  const Provider* gpu = r.fleet.state.provider_named("h1_pci_0000_84_00_0");
  REQUIRE(r.fleet.claim(1, {Allocation{gpu->id, *r.fleet.state.classes().id_of("CUSTOM_VGPU_A40_4Q"), 2}}).ok());
  const Uuid c1 = fixture_uuid(1001);

  using Kind = vg::LiveVgpuDiff::Kind;
  SECTION("all there") {
    REQUIRE(vg::compare_live_vgpus(r.fleet.state, r.fleet.config, "h1",
                                   {{"A40-4Q", "0000:84:00.0", 0, c1}, {"A40-4Q", "0000:84:00.0", {}, {}}})
                .empty());
  }
  SECTION("one missing, one extra on another consumer, one mismatched") {
    const Uuid other = fixture_uuid(1002);
    const auto diffs = vg::compare_live_vgpus(
        r.fleet.state, r.fleet.config, "h1",
        {{"A40-8Q", "0000:84:00.0", {}, c1}, {"A40-4Q", "0000:84:00.0", {}, other}});
    REQUIRE(diffs.size() == 3);
    CHECK(diffs[0].kind == Kind::mismatched);
    CHECK(diffs[0].detail == "GPU 0000:84:00.0: the state has A40-4Q at start 0 of consumer " +
                                 c1.str() + ", the host runs A40-8Q of consumer " + c1.str());
    CHECK(diffs[1].kind == Kind::extra);
    CHECK(diffs[2].kind == Kind::missing);
    CHECK(vg::to_string(diffs[2].kind) == "missing");
  }
}

TEST_CASE("the compute node's uuid names a new root and must match an existing one",
          "[scheduler][vgpu][host]") {
  Reporter r;
  vg::HostReport rep = h1();
  rep.root_uuid = fixture_uuid(77);
  REQUIRE_FALSE(r.report(rep).error);
  REQUIRE(r.fleet.state.provider_named("h1")->uuid == fixture_uuid(77));
  rep.root_uuid = fixture_uuid(78);
  CHECK(*r.plan(rep).error == "root_uuid: the host's root provider \"h1\" is " +
                                  fixture_uuid(77).str() + ", not " + fixture_uuid(78).str());
  vg::HostReport other = h1();
  other.hostname = "h2";
  other.root_uuid = fixture_uuid(77);
  CHECK(*r.plan(other).error ==
        "root_uuid: " + fixture_uuid(77).str() + " is provider \"h1\", not \"h2\"");
}

TEST_CASE("provisional ids are bound into the later changes only", "[scheduler][vgpu][host]") {
  ChangeSet cs;
  cs.add(AddTrait{"CUSTOM_A", 0});
  cs.add(AddResourceClass{"CUSTOM_B", 0});
  Provider root;
  root.uuid = fixture_uuid(1);
  root.name = "r";
  cs.add(CreateProvider{root});
  Provider child;
  child.uuid = fixture_uuid(2);
  child.name = "c";
  child.parent = provisional_id(2);
  child.traits = {static_cast<TraitId>(provisional_id(0)), 7};
  std::sort(child.traits.begin(), child.traits.end());
  child.inventories[static_cast<ClassId>(provisional_id(1))] = Inventory{4, 0, 1, 4, 1, 1.0};
  child.inventories[3] = Inventory{8, 0, 1, 8, 1, 1.0};
  cs.add(CreateProvider{child});
  REQUIRE(has_provisional_ids(cs));

  std::get<AddTrait>(cs.changes[0]).id = 900;
  bind_provisional_id(cs, 0);
  std::get<AddResourceClass>(cs.changes[1]).id = 10001;
  bind_provisional_id(cs, 1);
  REQUIRE(has_provisional_ids(cs));  // the parent is still provisional
  std::get<CreateProvider>(cs.changes[2]).provider.id = 41;
  bind_provisional_id(cs, 2);
  REQUIRE_FALSE(has_provisional_ids(cs));

  const Provider& bound = std::get<CreateProvider>(cs.changes[3]).provider;
  CHECK(bound.parent == 41);
  CHECK(bound.traits == std::vector<TraitId>{7, 900});  // still sorted
  REQUIRE(bound.inventories.size() == 2);
  CHECK(bound.inventories.find(10001)->total == 4);
  CHECK(bound.inventories.find(3)->total == 8);
  // Binding a change that creates nothing, or past the end, changes nothing.
  bind_provisional_id(cs, 3);
  bind_provisional_id(cs, 99);
  CHECK(std::get<CreateProvider>(cs.changes[3]).provider.traits == bound.traits);
}
