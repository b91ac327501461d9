// The explain view of the candidate search (scheduler/search/explain.hpp): each candidate's
// score parts, and for every managed provider turned down the rule and the numbers.
#include <algorithm>

#include <catch2/catch.hpp>

#include "tests/unit/search_fixture.hpp"
#include "tests/unit/vgpu/vgpu_search_fixture.hpp"

using namespace ::vgpu::scheduler;
using namespace ::vgpu::scheduler::search;
using namespace ::vgpu::scheduler::test;
using vg::GpuMode;
using vg::HostPowerState;

namespace {

const Rejection* rejection_of(const Explain& e, ProviderId p) {
  auto it = std::find_if(e.rejections.begin(), e.rejections.end(),
                         [&](const Rejection& r) { return r.provider == p; });
  return it == e.rejections.end() ? nullptr : &*it;
}

}  // namespace

SCENARIO("explain: score parts per candidate, a rule and numbers per rejected provider",
         "[scheduler][vgpu][explain]") {
  GIVEN("h1 idle A40, h2 A40 with three 4Q, h3 A40 locked to 8Q, h4 draining, h5 an L4") {
    VgpuCluster c;
    c.host("h1").gpu("A40", GpuMode::equal_size, {"A40-4Q", "A40-8Q"});
    c.host("h2").gpu("A40", GpuMode::equal_size, {"A40-4Q", "A40-8Q"}).with("A40-4Q", 3);
    c.host("h3").gpu("A40", GpuMode::equal_size, {"A40-4Q", "A40-8Q"}).with("A40-8Q");
    c.host("h4", HostPowerState::draining).gpu("A40", GpuMode::equal_size, {"A40-4Q"});
    c.host("h5").gpu("L4", GpuMode::equal_size, {"L4-4Q"});
    const SearchRequest r = vgpu_request(c.profile_class("A40-4Q"));
    const State s = c.build();
    Explain e;
    const auto cs = vgpu_search(s, r, &c.config(), &e);

    THEN("the answer is the one without explain") {
      const auto plain = vgpu_search(s, r, &c.config());
      REQUIRE(describe_all(cs) == describe_all(plain));
      REQUIRE(cs.size() == 2);
    }
    THEN("one explanation per candidate, in the same order, with the parts of its GPU") {
      REQUIRE(e.candidates.size() == cs.size());
      for (std::size_t i = 0; i < cs.size(); ++i) {
        REQUIRE(e.candidates[i].parts);
        REQUIRE(e.candidates[i].parts->total == Approx(cs[i].vgpu_score->total));
        REQUIRE(e.candidates[i].slots.size() == 1);  // the vGPU slot; VCPU has no vGPU score
        REQUIRE(e.candidates[i].slots[0].group == 0);
      }
      // h2 first (see ranking_test.cpp): packing 50, fragmentation 50, energy 100, spread 50.
      const SlotScore& best = e.candidates[0].slots[0];
      REQUIRE(best.provider == c.gpu_id("h2"));
      using Vgpus = std::vector<std::pair<vg::ProfileIndex, int>>;
      REQUIRE(best.vgpus == Vgpus{{c.profile("A40-4Q"), 1}});
      REQUIRE(best.parts.packing == Approx(50));
      REQUIRE(best.parts.fragmentation == Approx(50));
      REQUIRE(best.parts.energy == Approx(100));
      REQUIRE(best.parts.spread == Approx(50));
    }
    THEN("the GPU locked to 8Q: rule equal_size, with both profiles in the detail") {
      const Rejection* rej = rejection_of(e, c.gpu_id("h3"));
      REQUIRE(rej);
      REQUIRE(rej->plugin == "VgpuGpuRules");
      REQUIRE(rej->rule == "equal_size");
      REQUIRE(rej->root == c.host_id("h3"));
      REQUIRE(rej->group == 0);
      REQUIRE_THAT(rej->detail, Catch::Contains("h3_pci_0000_80_00_0") &&
                                    Catch::Contains("A40-8Q") && Catch::Contains("A40-4Q"));
    }
    THEN("the draining host: its root, as a whole, rule host_state") {
      const Rejection* rej = rejection_of(e, c.host_id("h4"));
      REQUIRE(rej);
      REQUIRE(rej->group == kNoGroup);
      REQUIRE(rej->rule == "host_state");
      REQUIRE(rej->detail == "host h4 is draining: it takes no new VMs");
      REQUIRE_FALSE(rejection_of(e, c.gpu_id("h4")));  // the tree was not looked into
    }
    THEN("the L4: unsupported_profile") {
      const Rejection* rej = rejection_of(e, c.gpu_id("h5"));
      REQUIRE(rej);
      REQUIRE(rej->rule == "unsupported_profile");
    }
    THEN("GPUs that fit and roots that serve VCPU are not listed") {
      REQUIRE_FALSE(rejection_of(e, c.gpu_id("h1")));
      REQUIRE_FALSE(rejection_of(e, c.gpu_id("h2")));
      REQUIRE_FALSE(rejection_of(e, c.host_id("h1")));
      REQUIRE(e.rejections.size() == 3);
    }
  }
}

SCENARIO("explain: an exhausted licence pool turns down every managed GPU with its numbers",
         "[scheduler][vgpu][explain]") {
  GIVEN("two A40s on two hosts, each with a 4Q VM; the vWS pool has 2 seats") {
    VgpuCluster c;
    c.host("h1").gpu("A40", GpuMode::equal_size, {"A40-4Q"}).with("A40-4Q");
    c.host("h2").gpu("A40", GpuMode::equal_size, {"A40-4Q"}).with("A40-4Q");
    c.pool(vg::Edition::rtx_vws, 2);
    const SearchRequest r = vgpu_request(c.profile_class("A40-4Q"));
    const State s = c.build();
    Explain e;
    REQUIRE(vgpu_search(s, r, &c.config(), &e).empty());
    REQUIRE(e.candidates.empty());
    REQUIRE(e.rejections.size() == 2);
    for (const Rejection& rej : e.rejections) {
      REQUIRE(rej.plugin == "VgpuLicence");
      REQUIRE(rej.rule == "licence");
      REQUIRE_THAT(rej.detail, Catch::Contains("rtx_vws") && Catch::Contains("2 of 2"));
    }
  }
}

SCENARIO("explain: a choice two groups cannot share is named by the permit",
         "[scheduler][vgpu][explain]") {
  GIVEN("an A100 in MIG mode with a 3g.20gb at slices 4-7; groups ask a 3g and a 4g") {
    // Each fits alone (3g at 0, or 4g at 0) and the classes differ (CombinedCapacity has
    // nothing to add up), but not both: the 3g takes slices 0-3, the 4g's only start.
    VgpuCluster c;
    c.host("h1").gpu("A100", GpuMode::mig, {"A100-3-20C", "A100-4-20C"}).with("A100-3-20C");
    SearchRequest r;
    r.groups = {numbered("1", {{c.profile_class("A100-3-20C"), 1}}),
                numbered("2", {{c.profile_class("A100-4-20C"), 1}})};
    const State s = c.build();
    Explain e;
    REQUIRE(vgpu_search(s, r, &c.config(), &e).empty());
    const Rejection* rej = rejection_of(e, c.gpu_id("h1"));
    REQUIRE(rej);
    REQUIRE(rej->plugin == "VgpuSameGpu");
    REQUIRE(rej->rule == "mig");
    REQUIRE(rej->group == 1);
  }
}

SCENARIO("explain: a standby host not offered, and one offered last", "[scheduler][vgpu][explain]") {
  VgpuCluster c;
  c.host("h1").gpu("L4", GpuMode::equal_size, {"L4-4Q"});
  c.host("hs", HostPowerState::standby).gpu("L4", GpuMode::equal_size, {"L4-4Q"});
  const SearchRequest r = vgpu_request(c.profile_class("L4-4Q"));
  const State s = c.build();
  WHEN("waking is not allowed") {
    Explain e;
    REQUIRE(vgpu_search(s, r, &c.config(), &e).size() == 1);
    REQUIRE(e.rejections.size() == 1);
    REQUIRE(e.rejections[0].detail ==
            "host hs is in standby and the request does not allow waking a standby host");
  }
  WHEN("waking is allowed") {
    c.config().wake_standby_hosts = true;
    Explain e;
    const auto cs = vgpu_search(s, r, &c.config(), &e);
    REQUIRE(hosts_of(s, cs) == std::vector<std::string>{"h1", "hs"});
    REQUIRE(e.rejections.empty());
    // L4: idle 18 W, busy 72 W. Waking hs: 100 + 72 - 10 = 162 W against a 54 W reference:
    // energy 10 * 54 / (54 + 162) = 2.5
    REQUIRE(e.candidates[1].parts->energy == Approx(2.5));
    REQUIRE(e.candidates[0].parts->energy == Approx(20));
  }
}
