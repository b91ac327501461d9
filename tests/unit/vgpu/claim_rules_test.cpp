// The vGPU rules on the claim path: every placement rule, host state, licence seats, and
// re-puts that keep vGPUs where they are.
#include <catch2/catch.hpp>

#include "tests/unit/vgpu/vgpu_fixture.hpp"

using namespace ::vgpu::scheduler;
using namespace ::vgpu::scheduler::test;
using ::vgpu::scheduler::vgpu::Edition;
using ::vgpu::scheduler::vgpu::GpuMode;
using ::vgpu::scheduler::vgpu::HostPowerState;

namespace {

// h1 (root 1): GPU 2 A40 equal-size (4Q, 8Q, 2B; classes), GPU 3 A40 equal-size trait-named
// (4Q, 8Q), GPU 4 A40 mixed-size (4Q, 8Q; classes). h2 (root 10): GPU 11 A40 equal-size.
// GPU 20: a plain provider with a CUSTOM_VGPU_ class, not managed.
Fleet fleet() {
  Fleet f;
  f.host(1, "h1");
  f.gpu(2, "h1", "0000:84:00.0", "A40", GpuMode::equal_size, {"A40-4Q", "A40-8Q", "A40-2B"});
  f.gpu(3, "h1", "0000:85:00.0", "A40", GpuMode::equal_size, {"A40-4Q", "A40-8Q"},
        VgpuNaming::trait);
  f.gpu(4, "h1", "0000:86:00.0", "A40", GpuMode::mixed_size, {"A40-4Q", "A40-8Q"});
  f.host(10, "h2");
  f.gpu(11, "h2", "0000:84:00.0", "A40", GpuMode::equal_size, {"A40-4Q"});
  ChangeSet cs;
  Provider plain;
  plain.id = 20;
  plain.uuid = fixture_uuid(20);
  plain.name = "plain";
  plain.inventories[f.class_of("A40-4Q")] = Inventory{12, 0, 1, 12, 1, 1.0};
  cs.add(CreateProvider{plain});
  f.state = f.state.with_changes(cs);
  return f;
}

}  // namespace

TEST_CASE("equal-size claims: one profile per GPU, any profile once it empties",
          "[scheduler][vgpu][claim]") {
  Fleet f = fleet();
  const auto ok = f.claim(1, {f.vgpus(2, "A40-4Q", 2)});
  REQUIRE(ok.ok());
  REQUIRE(f.consumer(1)->vgpus.size() == 2);
  REQUIRE(f.starts(1) == std::vector<int>{0, 0});
  REQUIRE(f.state.managed_gpu(2)->gpu.placed.size() == 2);

  const auto refused = f.claim(2, {f.vgpus(2, "A40-8Q", 1)});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.refusal->rule == "equal_size");
  CHECK(refused.refusal->provider == fixture_uuid(2));
  CHECK(refused.refusal->detail ==
        "vGPU rule equal_size on resource provider " + fixture_uuid(2).str() +
            " (GPU 0000:84:00.0 of host h1): GPU hosts A40-4Q; equal-size mode allows one "
            "profile per GPU (requested A40-8Q)");
  REQUIRE(f.consumer(2) == nullptr);  // nothing committed

  // The GPU empties: it takes the other profile.
  REQUIRE(f.claim(1, {}).ok());
  REQUIRE(f.state.managed_gpu(2)->gpu.placed.empty());
  REQUIRE(f.claim(2, {f.vgpus(2, "A40-8Q", 1)}).ok());
  REQUIRE(f.state.managed_gpu(2)->gpu.placed.front().profile == f.profile("A40-8Q"));
}

TEST_CASE("claims refused by a placement rule, table", "[scheduler][vgpu][claim]") {
  struct Row {
    const char* what;
    ProviderId gpu;
    const char* profile;
    int count;
    const char* rule;
  };
  const Row rows[] = {
      {"13 x A40-4Q: max 12 per GPU in equal-size mode", 2, "A40-4Q", 13, "equal_size"},
      {"A40-16Q is not among the GPU's supported profiles", 2, "A40-16Q", 1,
       "unsupported_profile"},
      {"an L4 profile on an A40", 2, "L4-4Q", 1, "unsupported_profile"},
      {"7 x A40-8Q in mixed-size mode: 6 x 8 slots fill 48", 4, "A40-8Q", 7, "mixed_size"},
  };
  for (const Row& row : rows) {
    SECTION(row.what) {
      Fleet f = fleet();
      const auto out = f.claim(1, {f.vgpus(row.gpu, row.profile, row.count)});
      REQUIRE_FALSE(out.ok());
      CHECK(out.refusal->rule == row.rule);
      CHECK(out.refusal->detail.rfind(std::string("vGPU rule ") + row.rule, 0) == 0);
    }
  }
}

TEST_CASE("mixed-size: a re-put keeps vGPUs where they are and places only the difference",
          "[scheduler][vgpu][claim]") {
  Fleet f = fleet();
  REQUIRE(f.claim(1, {f.vgpus(4, "A40-4Q", 1)}).ok());
  REQUIRE(f.claim(2, {f.vgpus(4, "A40-8Q", 1)}).ok());
  const std::vector<int> first = f.starts(1);
  const std::vector<int> second = f.starts(2);
  REQUIRE(first.size() == 1);
  REQUIRE(second.size() == 1);
  REQUIRE(first != second);

  SECTION("the same allocation again changes nothing") {
    REQUIRE(f.claim(1, {f.vgpus(4, "A40-4Q", 1)}).ok());
    REQUIRE(f.starts(1) == first);
    REQUIRE(f.starts(2) == second);
  }
  SECTION("one more vGPU: the first stays, the new one goes elsewhere") {
    REQUIRE(f.claim(1, {f.vgpus(4, "A40-4Q", 2)}).ok());
    const auto now = f.starts(1);
    REQUIRE(now.size() == 2);
    REQUIRE(std::find(now.begin(), now.end(), first[0]) != now.end());
    REQUIRE(std::find(now.begin(), now.end(), second[0]) == now.end());
  }
  SECTION("a POST of two consumers on one GPU gives them distinct starts") {
    const auto out = f.claim({{fixture_uuid(1003), {f.vgpus(4, "A40-4Q", 1)}, "p", "u", ""},
                              {fixture_uuid(1004), {f.vgpus(4, "A40-4Q", 1)}, "p", "u", ""}});
    REQUIRE(out.ok());
    REQUIRE(out.consumers.size() == 2);
    REQUIRE(f.starts(3) != f.starts(4));
    REQUIRE(f.state.managed_gpu(4)->gpu.placed.size() == 4);
  }
}

TEST_CASE("moving a consumer between GPUs frees the old one", "[scheduler][vgpu][claim]") {
  Fleet f = fleet();
  REQUIRE(f.claim(1, {f.vgpus(2, "A40-4Q", 2)}).ok());
  REQUIRE(f.claim(1, {f.vgpus(4, "A40-4Q", 2)}).ok());
  REQUIRE(f.state.managed_gpu(2)->gpu.placed.empty());
  REQUIRE(f.state.managed_gpu(4)->gpu.placed.size() == 2);
  for (const auto& v : f.consumer(1)->vgpus) REQUIRE(v.gpu == 4);
  REQUIRE(f.used(Edition::rtx_vws) == 1);
}

TEST_CASE("a VGPU claim on a trait-named GPU", "[scheduler][vgpu][claim]") {
  Fleet f = fleet();
  const Allocation vgpu{3, 5, 1};
  SECTION("several supported profiles and nothing placed: ambiguous") {
    const auto out = f.claim(1, {vgpu});
    REQUIRE_FALSE(out.ok());
    CHECK(out.refusal->rule == "ambiguous_profile");
    CHECK(out.refusal->detail.find("CUSTOM_VGPU_") != std::string::npos);
  }
  SECTION("the GPU's current profile once vGPUs are placed") {
    REQUIRE(f.claim(1, {f.vgpus(3, "A40-8Q", 1)}).ok());  // the class is not in inventory,
    // but the rules only look at what the class means (Placement's check runs before them)
    REQUIRE(f.claim(2, {vgpu}).ok());
    REQUIRE(f.consumer(2)->vgpus.front().profile == f.profile("A40-8Q"));
    SECTION("and a re-put keeps the consumer's own profile") {
      REQUIRE(f.claim(2, {Allocation{3, 5, 2}}).ok());
      REQUIRE(f.consumer(2)->vgpus.size() == 2);
    }
  }
  SECTION("the only supported profile") {
    f.gpu(5, "h1", "0000:87:00.0", "A40", GpuMode::equal_size, {"A40-4Q"}, VgpuNaming::trait);
    REQUIRE(f.claim(1, {Allocation{5, 5, 3}}).ok());
    REQUIRE(f.consumer(1)->vgpus.size() == 3);
    REQUIRE(f.consumer(1)->vgpus.front().profile == f.profile("A40-4Q"));
  }
}

TEST_CASE("allocations that are not vGPUs on managed GPUs are plain Placement",
          "[scheduler][vgpu][claim]") {
  Fleet f = fleet();
  const auto out = f.claim(1, {f.vgpus(20, "A40-4Q", 1), Allocation{1, 0, 4}});
  REQUIRE(out.ok());
  REQUIRE(f.consumer(1)->vgpus.empty());
  REQUIRE(f.consumer(1)->seats.empty());
  REQUIRE_FALSE(vg::touches_vgpu_layer(f.state, {{fixture_uuid(1009), {Allocation{1, 0, 1}}, "", "", ""}}));
  REQUIRE(vg::touches_vgpu_layer(f.state, {{fixture_uuid(1009), {f.vgpus(2, "A40-4Q", 1)}, "", "", ""}}));
}

TEST_CASE("draining and standby hosts take no new vGPUs on claims",
          "[scheduler][vgpu][claim]") {
  Fleet f = fleet();
  REQUIRE(f.claim(1, {f.vgpus(11, "A40-4Q", 1)}).ok());
  f.set_host_state("h2", HostPowerState::draining);
  const auto out = f.claim(2, {f.vgpus(11, "A40-4Q", 1)});
  REQUIRE_FALSE(out.ok());
  CHECK(out.refusal->rule == "host_state");
  CHECK(out.refusal->detail.find("host h2 is draining: no new vGPUs") != std::string::npos);
  SECTION("existing vGPUs may be re-put") {
    REQUIRE(f.claim(1, {f.vgpus(11, "A40-4Q", 1), Allocation{10, 0, 2}}).ok());
  }
  SECTION("but not grow") { REQUIRE_FALSE(f.claim(1, {f.vgpus(11, "A40-4Q", 2)}).ok()); }
  SECTION("standby refuses too, unless waking standby hosts is configured") {
    f.set_host_state("h2", HostPowerState::standby);
    REQUIRE(f.claim(2, {f.vgpus(11, "A40-4Q", 1)}).refusal->rule == "host_state");
    f.config.wake_standby_hosts = true;
    REQUIRE(f.claim(2, {f.vgpus(11, "A40-4Q", 1)}).ok());
  }
}

TEST_CASE("licence seats: per VM and per vGPU, deltas, reserve", "[scheduler][vgpu][claim]") {
  Fleet f = fleet();
  f.pools(Edition::rtx_vws, 4, 1);

  SECTION("per VM: three vGPUs hold one seat") {
    const auto out = f.claim(1, {f.vgpus(2, "A40-4Q", 3)});
    REQUIRE(out.ok());
    REQUIRE(out.consumers[0].seats == std::vector<SeatHold>{{0, 1}});
    REQUIRE(out.consumers[0].seat_changes.size() == 1);
    CHECK(out.consumers[0].seat_changes[0].delta == 1);
    REQUIRE(f.used(Edition::rtx_vws) == 1);
    SECTION("a re-put changes no seat") {
      const auto again = f.claim(1, {f.vgpus(2, "A40-4Q", 2)});
      REQUIRE(again.ok());
      REQUIRE(again.consumers[0].seat_changes.empty());
    }
  }
  SECTION("per vGPU: three vGPUs hold three seats; shrinking to one gives two back") {
    f.config.licences.unit = vg::SeatUnit::per_vgpu;
    REQUIRE(f.claim(1, {f.vgpus(2, "A40-4Q", 3)}).ok());
    REQUIRE(f.used(Edition::rtx_vws) == 3);
    const auto out = f.claim(1, {f.vgpus(2, "A40-4Q", 1)});
    REQUIRE(out.ok());
    REQUIRE(out.consumers[0].seat_changes.size() == 1);
    CHECK(out.consumers[0].seat_changes[0].delta == -2);
    REQUIRE(f.used(Edition::rtx_vws) == 1);
    SECTION("the reserve is kept from normal claims, not from an admin's") {
      // total 4, reserve 1: 3 usable; 1 used, 3 more need the reserve.
      const auto refused = f.claim(2, {f.vgpus(4, "A40-4Q", 3)});
      REQUIRE_FALSE(refused.ok());
      CHECK(refused.refusal->rule == "licence");
      CHECK(refused.refusal->detail ==
            "vGPU rule licence on resource provider " + fixture_uuid(4).str() +
                " (GPU 0000:86:00.0 of host h1): licence pool rtx_vws: 1 of 4 seats in use "
                "(reserve 1), request needs 3");
      const auto admin = f.claim(2, {f.vgpus(4, "A40-4Q", 3)}, true);
      REQUIRE(admin.ok());
      REQUIRE(admin.consumers[0].seat_changes[0].use_reserve);
      REQUIRE(f.used(Edition::rtx_vws) == 4);
    }
  }
  SECTION("releasing everything gives the seats back through the DeleteConsumer") {
    REQUIRE(f.claim(1, {f.vgpus(2, "A40-4Q", 1)}).ok());
    const auto out = vg::check_vgpu_claims(f.state, f.config, {{fixture_uuid(1001), {}, "", "", ""}});
    REQUIRE(out.ok());
    ChangeSet cs = allocation::claim_changes(f.state, {{fixture_uuid(1001), {}, "", "", ""}}, 5);
    vg::fill_vgpu_changes(out, cs);
    const auto& del = std::get<DeleteConsumer>(cs.changes.back());
    REQUIRE(del.seat_changes.size() == 1);
    CHECK(del.seat_changes[0].delta == -1);
    REQUIRE(vg::release_seat_changes(*f.consumer(1)).front().delta == -1);
    f.state = f.state.with_changes(cs);
    REQUIRE(f.used(Edition::rtx_vws) == 0);
  }
}

TEST_CASE("B series borrows a vWS seat only when configured", "[scheduler][vgpu][claim]") {
  Fleet f = fleet();
  f.pools(Edition::vpc, 0);
  f.pools(Edition::rtx_vws, 5);
  const auto refused = f.claim(1, {f.vgpus(2, "A40-2B", 1)});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.refusal->rule == "licence");
  CHECK(refused.refusal->detail.find("licence pool vpc: 0 of 0 seats in use") != std::string::npos);

  f.config.licences.b_series_borrows_vws = true;
  const auto out = f.claim(1, {f.vgpus(2, "A40-2B", 1)});
  REQUIRE(out.ok());
  REQUIRE(out.consumers[0].seats == std::vector<SeatHold>{{0, 1}});  // charged to vWS
  REQUIRE(f.used(Edition::rtx_vws) == 1);
  REQUIRE(f.used(Edition::vpc) == 0);

  SECTION("per VM, a VM that holds a vWS seat needs no seat for its B vGPU") {
    f.pools(Edition::vpc, 5);
    const auto both = f.claim(2, {f.vgpus(3, "A40-4Q", 1), f.vgpus(4, "A40-2B", 1)});
    // GPU 4 does not support 2B: refused by the GPU rule, not by licences
    REQUIRE_FALSE(both.ok());
    f.gpu(6, "h1", "0000:88:00.0", "A40", GpuMode::equal_size, {"A40-2B"});
    const auto ok = f.claim(2, {f.vgpus(4, "A40-4Q", 1), f.vgpus(6, "A40-2B", 1)});
    REQUIRE(ok.ok());
    REQUIRE(ok.consumers[0].seats == std::vector<SeatHold>{{0, 1}});
  }
}

TEST_CASE("seats already held stay where they are on a re-put", "[scheduler][vgpu][claim]") {
  Fleet f = fleet();
  f.pools(Edition::rtx_vws, 2);
  REQUIRE(f.claim(1, {f.vgpus(2, "A40-4Q", 1)}).ok());
  REQUIRE(f.claim(2, {f.vgpus(2, "A40-4Q", 1)}).ok());
  SECTION("a pool shrunk below its use refuses new seats, not the seats held") {
    f.pools(Edition::rtx_vws, 1);
    const auto again = f.claim(1, {f.vgpus(2, "A40-4Q", 2)});
    REQUIRE(again.ok());
    REQUIRE(again.consumers[0].seat_changes.empty());
    REQUIRE(f.claim(3, {f.vgpus(2, "A40-4Q", 1)}).refusal->rule == "licence");
  }
  SECTION("a B vGPU on a borrowed vWS seat keeps it when vPC has room again") {
    f.config.licences.b_series_borrows_vws = true;
    f.pools(Edition::rtx_vws, 3);
    f.pools(Edition::vpc, 0);
    f.gpu(6, "h1", "0000:88:00.0", "A40", GpuMode::equal_size, {"A40-2B"});
    REQUIRE(f.claim(3, {f.vgpus(6, "A40-2B", 1)}).ok());
    REQUIRE(f.used(Edition::rtx_vws) == 3);
    f.pools(Edition::vpc, 5);
    const auto again = f.claim(3, {f.vgpus(6, "A40-2B", 1)});
    REQUIRE(again.ok());
    REQUIRE(again.consumers[0].seat_changes.empty());
    REQUIRE(f.consumer(3)->seats == std::vector<SeatHold>{{0, 1}});
  }
}

TEST_CASE("name resolution: Nova's conventions and the operator's mappings",
          "[scheduler][vgpu][names]") {
  Fleet f;
  const auto q4 = f.profile("A40-4Q");
  const auto q8 = f.profile("A40-8Q");
  f.config.names.resource_classes = {{"CUSTOM_MY_A40", q8}};
  f.config.names.traits = {{"CUSTOM_GOLD", q8}};
  f.config.names.mdev_types = {{"nvidia-558", q4}};
  const ClassId conv = f.cls("CUSTOM_VGPU_A40_4Q");
  const ClassId mapped = f.cls("CUSTOM_MY_A40");
  const ClassId unknown = f.cls("CUSTOM_VGPU_A40_5Q");  // parses, not in the catalog
  const ClassId other = f.cls("CUSTOM_FPGA");
  f.state.load_trait(1, "CUSTOM_NVIDIA_A40_4Q");
  f.state.load_trait(2, "CUSTOM_GOLD");
  f.state.load_trait(3, "HW_CPU_X86_AVX");
  const vg::NameResolver names(f.config, f.state.classes(), f.state.traits());
  CHECK(names.profile_of_class(conv) == q4);
  CHECK(names.profile_of_class(mapped) == q8);
  CHECK_FALSE(names.profile_of_class(unknown));
  CHECK_FALSE(names.profile_of_class(other));
  CHECK_FALSE(names.profile_of_class(0));  // VCPU
  CHECK(names.is_vgpu_class(5));
  CHECK(names.is_vgpu_related(5));
  CHECK(names.is_vgpu_related(conv));
  CHECK_FALSE(names.is_vgpu_related(other));
  CHECK(names.profile_of_trait(1) == q4);
  CHECK(names.profile_of_trait(2) == q8);
  CHECK_FALSE(names.profile_of_trait(3));
  CHECK(names.profile_of_mdev_type("nvidia-558") == q4);
  CHECK(names.profile_of_mdev_type("NVIDIA A40-8Q\n") == q8);
  CHECK_FALSE(names.profile_of_mdev_type("nvidia-1"));
  CHECK(vg::resource_class_for(f.config, q4) == "CUSTOM_VGPU_A40_4Q");
  CHECK(vg::resource_class_for(f.config, q8) == "CUSTOM_MY_A40");
  CHECK(vg::trait_for(f.config, q4) == "CUSTOM_NVIDIA_A40_4Q");
  CHECK(vg::trait_for(f.config, q8) == "CUSTOM_GOLD");
}
