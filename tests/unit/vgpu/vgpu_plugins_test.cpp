// The vGPU search plugins, each rule alone (scheduler/search/plugins/vgpu_*.cpp).
#include <catch2/catch.hpp>

#include "scheduler/search/plugins/vgpu_plugins.hpp"
#include "scheduler/search/plugins/vgpu_request.hpp"
#include "tests/unit/vgpu/vgpu_search_fixture.hpp"

using namespace ::vgpu::scheduler;
using namespace ::vgpu::scheduler::search;
using namespace ::vgpu::scheduler::test;
using vg::GpuMode;
using vg::HostPowerState;

namespace {

// One filter on one provider for one slot, with the vGPU configuration in the context.
struct Probe {
  const State& state;
  const vg::VgpuConfig& config;
  SearchRequest request;

  Status filter(const FilterPlugin& f, ProviderId p, std::size_t slot) const {
    const SearchContext ctx(state, request, &config);
    const Slot& s = ctx.slots()[slot];
    const Provider& provider = *state.provider(p);
    return f.filter(ctx, {s, ctx.group(s), *state.provider(provider.root), provider, false});
  }
  std::string detail(const FilterPlugin& f, ProviderId p, std::size_t slot) const {
    const SearchContext ctx(state, request, &config);
    const Slot& s = ctx.slots()[slot];
    const Provider& provider = *state.provider(p);
    const ProviderQuery q{s, ctx.group(s), *state.provider(provider.root), provider, false};
    return f.detail(ctx, q, f.filter(ctx, q));
  }
  Status anchor(const FilterPlugin& f, ProviderId root) const {
    const SearchContext ctx(state, request, &config);
    return f.filter_anchor(ctx, *state.provider(root));
  }
};

// A request whose one numbered group asks `count` of a class (slot 0).
SearchRequest ask(ClassId rc, int count = 1) {
  SearchRequest r;
  r.groups = {numbered("1", {{rc, count}})};
  return r;
}

}  // namespace

TEST_CASE("VgpuGpuRules: equal-size mode, one profile per GPU, each profile's max",
          "[scheduler][vgpu]") {
  VgpuCluster c;
  c.host("h1")
      .gpu("A40", GpuMode::equal_size, {"A40-4Q", "A40-8Q"}).with("A40-8Q")       // gpu 0
      .gpu("A40", GpuMode::equal_size, {"A40-4Q", "A40-8Q"})                       // gpu 1: empty
      .gpu("A40", GpuMode::equal_size, {"A40-4Q", "A40-8Q"}).with("A40-8Q", 6)     // gpu 2: full
      .gpu("A40", GpuMode::equal_size, {"A40-8Q"});                                // gpu 3
  c.host("h2").gpu("L4", GpuMode::equal_size, {"L4-4Q"});
  const ClassId q4 = c.profile_class("A40-4Q");
  const ClassId q8 = c.profile_class("A40-8Q");
  const ClassId l4 = c.profile_class("L4-4Q");
  const State s = c.build();
  const auto rules = make_vgpu_gpu_rules(c.config());

  struct Row {
    const char* what;
    ClassId rc;
    int count;
    std::size_t gpu;
    std::string_view rule;  // empty: fits
  };
  const Row rows[] = {
      {"GPU locked to 8Q refuses 4Q", q4, 1, 0, vg::rule::kEqualSize},
      {"GPU locked to 8Q takes another 8Q (2 of 6)", q8, 1, 0, ""},
      {"1 + 5 = 6 8Q: the max", q8, 5, 0, ""},
      {"1 + 6 = 7 8Q: over the max of 6", q8, 6, 0, vg::rule::kEqualSize},
      {"an empty GPU takes any supported profile", q4, 1, 1, ""},
      {"an empty GPU takes 12 4Q (the max)", q4, 12, 1, ""},
      {"a full GPU (6 of 6 8Q) refuses an 8Q", q8, 1, 2, vg::rule::kEqualSize},
      {"a profile the GPU does not support", q4, 1, 3, vg::rule::kUnsupportedProfile},
      {"a profile of another board", l4, 1, 1, vg::rule::kUnsupportedProfile},
  };
  for (const Row& row : rows) {
    SECTION(row.what) {
      const Probe probe{s, c.config(), ask(row.rc, row.count)};
      const Status st = probe.filter(*rules, c.gpu_id("h1", row.gpu), 0);
      REQUIRE(st.ok == row.rule.empty());
      REQUIRE(st.reason == row.rule);
    }
  }
  SECTION("the detail names the GPU and the numbers") {
    const Probe probe{s, c.config(), ask(q4)};
    const std::string d = probe.detail(*rules, c.gpu_id("h1", 0), 0);
    REQUIRE_THAT(d, Catch::Contains("h1_pci_0000_80_00_0") && Catch::Contains("A40-8Q") &&
                        Catch::Contains("A40-4Q"));
  }
  SECTION("plain providers and slots asking no vGPU are left alone") {
    const Probe probe{s, c.config(), ask(kVcpuRc)};
    REQUIRE(probe.filter(*rules, c.gpu_id("h1", 0), 0).ok);
    const Probe on_root{s, c.config(), ask(q4)};
    REQUIRE(on_root.filter(*rules, c.host_id("h1"), 0).ok);  // not a managed GPU
  }
}

TEST_CASE("VgpuGpuRules: MIG starts (3g + 4g fits, 4g + 4g does not) and mixed-size runs",
          "[scheduler][vgpu]") {
  VgpuCluster c;
  c.host("h1")
      .gpu("A100", GpuMode::mig, {"A100-3-20C", "A100-4-20C"}).with("A100-3-20C")  // 3g at 4
      .gpu("A100", GpuMode::mig, {"A100-3-20C", "A100-4-20C"}).with("A100-4-20C")  // 4g at 0
      .gpu("A40", GpuMode::mixed_size, {"A40-8Q", "A40-24Q"}).with("A40-24Q")
      .gpu("A40", GpuMode::mixed_size, {"A40-8Q", "A40-24Q"}).with("A40-24Q", 2);
  const ClassId g4 = c.profile_class("A100-4-20C");
  const ClassId g3 = c.profile_class("A100-3-20C");
  const ClassId q8 = c.profile_class("A40-8Q");
  const State s = c.build();
  const auto rules = make_vgpu_gpu_rules(c.config());
  struct Row {
    const char* what;
    ClassId rc;
    std::size_t gpu;
    std::string_view rule;
  };
  const Row rows[] = {
      {"4g.20gb has one start (0), free beside a 3g at 4", g4, 0, ""},
      {"a second 4g.20gb has no start left", g4, 1, vg::rule::kMig},
      {"3g.20gb beside a 4g: start 4", g3, 1, ""},
      {"a time-sliced profile on a MIG GPU", q8, 0, vg::rule::kUnsupportedProfile},
      {"mixed-size: 8Q beside a 24Q", q8, 2, ""},
      {"mixed-size: no run left beside two 24Q", q8, 3, vg::rule::kMixedSize},
  };
  for (const Row& row : rows) {
    SECTION(row.what) {
      const Status st = Probe{s, c.config(), ask(row.rc)}.filter(*rules, c.gpu_id("h1", row.gpu), 0);
      REQUIRE(st.reason == row.rule);
    }
  }
}

TEST_CASE("VgpuGpuRules: VGPU names its profile by a trait, or by the GPU", "[scheduler][vgpu]") {
  VgpuCluster c;
  c.host("h1")
      .gpu("A40", GpuMode::equal_size, {"A40-4Q", "A40-8Q"}, VgpuNaming::trait).with("A40-8Q")
      .gpu("A40", GpuMode::equal_size, {"A40-4Q", "A40-8Q"}, VgpuNaming::trait)
      .gpu("A40", GpuMode::equal_size, {"A40-4Q"}, VgpuNaming::trait);
  const TraitId t4 = c.profile_trait("A40-4Q");
  const TraitId t8 = c.profile_trait("A40-8Q");
  const TraitId tl4 = c.profile_trait("L4-4Q");
  const State s = c.build();
  const auto rules = make_vgpu_gpu_rules(c.config());
  auto vgpu_with = [&](std::vector<std::vector<TraitId>> traits) {
    SearchRequest r = ask(kVgpuRc);
    r.groups[0].traits.required_any = std::move(traits);
    return Probe{s, c.config(), r};
  };
  struct Row {
    const char* what;
    std::vector<std::vector<TraitId>> traits;
    std::size_t gpu;
    std::string_view rule;
  };
  const Row rows[] = {
      {"trait 4Q on a GPU locked to 8Q", {{t4}}, 0, vg::rule::kEqualSize},
      {"trait 8Q on a GPU locked to 8Q", {{t8}}, 0, ""},
      {"any-of 4Q or 8Q: the one that fits", {{t4, t8}}, 0, ""},
      {"no trait: the GPU's current profile (8Q)", {}, 0, ""},
      {"no trait on an empty GPU with two profiles", {}, 1, vgpu_rule::kAmbiguousProfile},
      {"no trait on an empty GPU with one profile", {}, 2, ""},
      {"a trait naming another board's profile", {{tl4}}, 1, vg::rule::kUnsupportedProfile},
  };
  for (const Row& row : rows) {
    SECTION(row.what) {
      REQUIRE(vgpu_with(row.traits).filter(*rules, c.gpu_id("h1", row.gpu), 0).reason == row.rule);
    }
  }
  SECTION("the ambiguity says how to name the profile") {
    const std::string d = vgpu_with({}).detail(*rules, c.gpu_id("h1", 1), 0);
    REQUIRE_THAT(d, Catch::Contains("CUSTOM_NVIDIA_<PROFILE>") &&
                        Catch::Contains("CUSTOM_VGPU_<PROFILE>"));
  }
}

TEST_CASE("VgpuHostState: draining never, standby only when waking is allowed",
          "[scheduler][vgpu]") {
  VgpuCluster c;
  c.host("active").gpu("L4", GpuMode::equal_size, {"L4-4Q"});
  c.host("draining", HostPowerState::draining).gpu("L4", GpuMode::equal_size, {"L4-4Q"});
  c.host("standby", HostPowerState::standby).gpu("L4", GpuMode::equal_size, {"L4-4Q"});
  const ClassId l4 = c.profile_class("L4-4Q");
  const State s = c.build();
  const auto plugin = make_vgpu_host_state(c.config());
  struct Row {
    const char* host;
    bool config_wakes;
    std::optional<bool> request_wakes;
    bool ok;
  };
  const Row rows[] = {
      {"active", false, std::nullopt, true},
      {"draining", false, std::nullopt, false},
      {"draining", true, true, false},      // draining hosts are being emptied
      {"standby", false, std::nullopt, false},
      {"standby", false, true, false},      // the claim rules would refuse it: not offered
      {"standby", true, std::nullopt, true},
      {"standby", true, true, true},
      {"standby", true, false, false},      // the request opts out
  };
  for (const Row& row : rows) {
    vg::VgpuConfig config = c.config();
    config.wake_standby_hosts = row.config_wakes;
    SearchRequest r = ask(l4);
    r.allow_wake_standby = row.request_wakes;
    const Status st = Probe{s, config, r}.anchor(*plugin, c.host_id(row.host));
    CAPTURE(row.host, row.config_wakes, row.request_wakes);
    REQUIRE(st.ok == row.ok);
    if (!row.ok) REQUIRE(st.reason == vgpu_rule::kHostState);
  }
  SECTION("a plain root is never judged") {
    State plain = s.with_changes([] {
      ChangeSet cs;
      Provider p;
      p.id = 99;
      p.uuid = vgpu_test_uuid(99);
      p.name = "plain";
      cs.add(CreateProvider{p});
      return cs;
    }());
    REQUIRE(Probe{plain, c.config(), ask(l4)}.anchor(*plugin, 99).ok);
  }
}

TEST_CASE("VgpuLicence: the request's seats against its edition's pool", "[scheduler][vgpu]") {
  // Two vGPUs of vWS profiles placed by two VMs: 2 vWS seats in use (per VM).
  auto cluster = [](std::optional<std::int64_t> total, std::int64_t reserve) {
    VgpuCluster c;
    c.host("h1")
        .gpu("A40", GpuMode::equal_size, {"A40-4Q", "A40-4C"}).with("A40-4Q")
        .gpu("A40", GpuMode::equal_size, {"A40-4Q", "A40-4C"}).with("A40-4Q")
        .gpu("A40", GpuMode::equal_size, {"A40-4Q", "A40-4C"});
    c.pool(vg::Edition::rtx_vws, total, reserve).pool(vg::Edition::ai_enterprise, 0);
    return c;
  };
  struct Row {
    const char* what;
    std::optional<std::int64_t> total;
    std::int64_t reserve;
    vg::SeatUnit unit;
    const char* profile;
    int count;
    bool ok;
  };
  const Row rows[] = {
      {"2 of 3 used: one more VM fits", 3, 0, vg::SeatUnit::per_vm, "A40-4Q", 1, true},
      {"2 of 2 used: exhausted", 2, 0, vg::SeatUnit::per_vm, "A40-4Q", 1, false},
      {"2 of 3 used, reserve 1: the reserve is held back", 3, 1, vg::SeatUnit::per_vm, "A40-4Q", 1, false},
      {"unlimited pool", std::nullopt, 0, vg::SeatUnit::per_vm, "A40-4Q", 1, true},
      {"per VM: 2 vGPUs of one VM need 1 seat", 3, 0, vg::SeatUnit::per_vm, "A40-4Q", 2, true},
      {"per vGPU: 2 vGPUs need 2 seats, 1 left", 3, 0, vg::SeatUnit::per_vgpu, "A40-4Q", 2, false},
      {"a C profile draws on AI Enterprise (0 seats)", 3, 0, vg::SeatUnit::per_vm, "A40-4C", 1, false},
  };
  for (const Row& row : rows) {
    SECTION(row.what) {
      VgpuCluster c = cluster(row.total, row.reserve);
      c.config().licences.unit = row.unit;
      const ClassId rc = c.profile_class(row.profile);
      const State s = c.build();
      const auto plugin = make_vgpu_licence(c.config());
      const Probe probe{s, c.config(), ask(rc, row.count)};
      // Every managed GPU gets the same answer: the pool decides, not the GPU.
      for (std::size_t g = 0; g < 3; ++g) {
        const Status st = probe.filter(*plugin, c.gpu_id("h1", g), 0);
        REQUIRE(st.ok == row.ok);
        if (!row.ok) REQUIRE(st.reason == vgpu_rule::kLicence);
      }
      REQUIRE(probe.filter(*plugin, c.host_id("h1"), 0).ok);  // plain providers take no seat
    }
  }
  SECTION("the refusal names the pool and its numbers") {
    VgpuCluster c = cluster(2, 0);
    const ClassId rc = c.profile_class("A40-4Q");
    const State s = c.build();
    const std::string d =
        Probe{s, c.config(), ask(rc)}.detail(*make_vgpu_licence(c.config()), c.gpu_id("h1", 2), 0);
    REQUIRE_THAT(d, Catch::Contains("rtx_vws") && Catch::Contains("2 of 2"));
  }
  SECTION("an exhausted pool leaves no candidate at all") {
    VgpuCluster c = cluster(2, 0);
    const State s = c.build();
    REQUIRE(vgpu_search(s, vgpu_request(c.profile_class("A40-4Q")), &c.config()).empty());
  }
}

TEST_CASE("VgpuSameGpu: two groups on one GPU must fit together", "[scheduler][vgpu]") {
  auto run = [](GpuMode mode, const char* board, const std::vector<std::string>& supported,
                const char* first, const char* second) {
    VgpuCluster c;
    c.host("h1").gpu(board, mode, supported);
    SearchRequest r;
    r.groups = {numbered("1", {{c.profile_class(first), 1}}),
                numbered("2", {{c.profile_class(second), 1}})};
    const State s = c.build();
    return vgpu_search(s, r, &c.config()).size();
  };
  const std::vector<std::string> mig{"A100-3-20C", "A100-4-20C"};
  const std::vector<std::string> a40{"A40-4Q", "A40-8Q"};
  // One GPU, so both groups land on it (group_policy=none) or there is no candidate.
  REQUIRE(run(GpuMode::mig, "A100", mig, "A100-4-20C", "A100-3-20C") == 1);  // 4g@0 + 3g@4
  REQUIRE(run(GpuMode::mig, "A100", mig, "A100-3-20C", "A100-4-20C") == 1);  // 3g@4, then 4g@0
  REQUIRE(run(GpuMode::mig, "A100", mig, "A100-4-20C", "A100-4-20C") == 0);  // one start only
  REQUIRE(run(GpuMode::equal_size, "A40", a40, "A40-4Q", "A40-8Q") == 0);    // one profile
  REQUIRE(run(GpuMode::equal_size, "A40", a40, "A40-4Q", "A40-4Q") == 1);
  REQUIRE(run(GpuMode::mixed_size, "A40", a40, "A40-4Q", "A40-8Q") == 1);    // sizes mix

  SECTION("the permit itself, with the detail") {
    VgpuCluster c;
    c.host("h1").gpu("A100", GpuMode::mig, mig);
    SearchRequest r;
    r.groups = {numbered("1", {{c.profile_class("A100-4-20C"), 1}}),
                numbered("2", {{c.profile_class("A100-4-20C"), 1}})};
    const State s = c.build();
    const SearchContext ctx(s, r, &c.config());
    const Provider& gpu = *s.provider(c.gpu_id("h1"));
    const PartialCandidate partial{*s.provider(c.host_id("h1")), {&gpu}};
    const auto permit = make_vgpu_same_gpu(c.config());
    const Status st = permit->permit(ctx, partial, 1, gpu);
    REQUIRE(st.reason == vg::rule::kMig);
    REQUIRE_THAT(permit->permit_detail(ctx, partial, 1, gpu, st),
                 Catch::Contains("h1_pci_0000_80_00_0") && Catch::Contains("other group"));
    const PartialCandidate alone{*s.provider(c.host_id("h1")), {}};
    REQUIRE(permit->permit(ctx, alone, 0, gpu).ok);
  }
}

TEST_CASE("vGPU profile: needs the configuration, validates the weights", "[scheduler][vgpu]") {
  REQUIRE_THROWS_WITH(build_profile(vgpu_profile_config()),
                      "filters: plugin 'VgpuHostState' needs the vGPU configuration");
  vg::VgpuConfig config = vgpu_test_config();
  config.weights.energy = -1;
  REQUIRE_THROWS_WITH(build_profile(vgpu_profile_config(), &config), Catch::Contains("energy"));
  config.weights.energy = 1;
  const Profile p = build_default_profile(&config);
  REQUIRE(p.vgpu == &config);
  REQUIRE(p.filters.size() == 8);
  REQUIRE(p.permits.back()->name() == "VgpuSameGpu");
  REQUIRE(build_default_profile(nullptr).vgpu == nullptr);
  REQUIRE(build_default_profile(nullptr).filters.size() == 5);
}
