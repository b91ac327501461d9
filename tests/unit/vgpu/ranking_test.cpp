// Ranking: small clusters where the best candidate is worked out by hand (the vGPU score of
// scheduler/search/plugins/vgpu_score.cpp; weights packing = fragmentation = energy = 1 unless
// said), and proof that the plain Placement order is unchanged.
//
// Figures used below (shipped catalog, modelled power defaults):
//   A40: 48 GB, idle 30 W, busy 300 W per GPU; A40-4Q max 12, 8Q 6, 24Q 2 per GPU.
//   Fixture hosts: idle 100 W, standby 10 W.
//   packing = 100 * (3/4 * gpu fill after + 1/4 * host busy GPUs before / GPUs)
//   energy  = 100 on a busy GPU (0 W more), 20 on an idle GPU of an awake host (270 W of a
//             270 W reference), 10 * 270 / (270 + m) on a standby host (m = the watts of waking)
//   fragmentation = 50 without a request mix
//   total = weighted mean of the parts
#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/unit/search_fixture.hpp"
#include "tests/unit/vgpu/vgpu_search_fixture.hpp"

using namespace ::vgpu::scheduler;
using namespace ::vgpu::scheduler::search;
using namespace ::vgpu::scheduler::test;
using vg::GpuMode;
using vg::HostPowerState;
using Names = std::vector<std::string>;

SCENARIO("a busy GPU with room beats waking an idle GPU", "[scheduler][vgpu][ranking]") {
  GIVEN("h1 with an idle A40, h2 with an A40 holding three 4Q") {
    VgpuCluster c;
    c.host("h1").gpu("A40", GpuMode::equal_size, {"A40-4Q"});
    c.host("h2").gpu("A40", GpuMode::equal_size, {"A40-4Q"}).with("A40-4Q", 3);
    const SearchRequest r = vgpu_request(c.profile_class("A40-4Q"));
    const State s = c.build();
    WHEN("a VM asks VCPU:1, CUSTOM_VGPU_A40_4Q:1") {
      const auto cs = vgpu_search(s, r, &c.config());
      THEN("h2 first") {
        // h2: packing 100 * (3/4 * 4/12 + 1/4 * 1/1) = 50, energy 100 (GPU already busy),
        //     fragmentation 50 -> total (50 + 100 + 50) / 3 = 66.67
        // h1: packing 100 * (3/4 * 1/12 + 1/4 * 0/1) = 6.25, energy 20 (wakes the GPU: 270 W),
        //     fragmentation 50 -> total (6.25 + 20 + 50) / 3 = 25.42
        REQUIRE(hosts_of(s, cs) == Names{"h2", "h1"});
        REQUIRE(cs[0].vgpu_score->packing == Approx(50));
        REQUIRE(cs[0].vgpu_score->energy == Approx(100));
        REQUIRE(cs[0].vgpu_score->total == Approx(200.0 / 3));
        REQUIRE(cs[1].vgpu_score->packing == Approx(6.25));
        REQUIRE(cs[1].vgpu_score->energy == Approx(20));
        REQUIRE(cs[1].vgpu_score->total == Approx(76.25 / 3));
      }
      THEN("limit=1 returns h2's GPU only") {
        SearchRequest one = r;
        one.limit = 1;
        const auto best = vgpu_search(s, one, &c.config());
        REQUIRE(best.size() == 1);
        REQUIRE(provider_of(s, best[0], c.profile_class("A40-4Q")) == "h2_pci_0000_80_00_0");
      }
    }
    WHEN("the search has no vGPU configuration (plain Placement)") {
      THEN("roots come in id order, h1 first") {
        REQUIRE(hosts_of(s, vgpu_search(s, r, nullptr)) == Names{"h1", "h2"});
      }
    }
  }
}

SCENARIO("within a host, the fuller GPU first", "[scheduler][vgpu][ranking]") {
  GIVEN("h1 with two A40s: one 4Q on the first, five on the second") {
    VgpuCluster c;
    c.host("h1")
        .gpu("A40", GpuMode::equal_size, {"A40-4Q"}).with("A40-4Q")
        .gpu("A40", GpuMode::equal_size, {"A40-4Q"}).with("A40-4Q", 5);
    const ClassId rc = c.profile_class("A40-4Q");
    const State s = c.build();
    THEN("the second GPU first") {
      // second: packing 100 * (3/4 * 6/12 + 1/4 * 2/2) = 62.5 -> (62.5 + 100 + 50) / 3 = 70.83
      // first:  packing 100 * (3/4 * 2/12 + 1/4 * 2/2) = 37.5 -> (37.5 + 100 + 50) / 3 = 62.5
      const auto cs = vgpu_search(s, vgpu_request(rc), &c.config());
      REQUIRE(cs.size() == 2);
      REQUIRE(provider_of(s, cs[0], rc) == "h1_pci_0000_81_00_0");
      REQUIRE(cs[0].vgpu_score->total == Approx(212.5 / 3));
      REQUIRE(provider_of(s, cs[1], rc) == "h1_pci_0000_80_00_0");
      REQUIRE(cs[1].vgpu_score->total == Approx(62.5));
    }
  }
}

SCENARIO("a standby host ranks last when waking is allowed", "[scheduler][vgpu][ranking]") {
  GIVEN("hs in standby with one idle A40, ha awake with two idle A40s, hb with a busy A40") {
    VgpuCluster c;
    c.host("hs", HostPowerState::standby).gpu("A40", GpuMode::equal_size, {"A40-24Q"});
    c.host("ha")
        .gpu("A40", GpuMode::equal_size, {"A40-24Q"})
        .gpu("A40", GpuMode::equal_size, {"A40-24Q"});
    c.host("hb").gpu("A40", GpuMode::equal_size, {"A40-24Q"}).with("A40-24Q");
    c.config().wake_standby_hosts = true;
    const SearchRequest r = vgpu_request(c.profile_class("A40-24Q"));
    const State s = c.build();
    // hb: packing 100 * (3/4 * 2/2 + 1/4 * 1/1) = 100, energy 100           -> total 83.33
    // ha: packing 100 * (3/4 * 1/2 + 1/4 * 0/2) = 37.5, energy 20            -> total 35.83
    //     (twice: each of its GPUs)
    // hs: packing 100 * (3/4 * 1/2 + 1/4 * 0/1) = 37.5; waking costs 100 (host) + 300 (GPU)
    //     - 10 (standby) = 390 W: energy 10 * 270 / (270 + 390) = 4.09        -> total 30.53
    WHEN("the configuration allows waking standby hosts") {
      THEN("hb, ha, ha, then hs") {
        const auto cs = vgpu_search(s, r, &c.config());
        REQUIRE(hosts_of(s, cs) == Names{"hb", "ha", "ha", "hs"});
        REQUIRE(cs[3].vgpu_score->energy == Approx(2700.0 / 660));
      }
    }
    WHEN("energy does not count: hs's total (37.5 + 50) / 2 = 43.75 ties ha's") {
      c.config().weights.energy = 0;
      THEN("hs still comes last, though ties go to the lower root id (hs's): standby ranks last") {
        const auto cs = vgpu_search(s, r, &c.config());
        REQUIRE(hosts_of(s, cs) == Names{"hb", "ha", "ha", "hs"});
        REQUIRE(cs[3].vgpu_score->total == Approx(cs[1].vgpu_score->total));
      }
    }
    WHEN("the request opts out of waking") {
      SearchRequest no = r;
      no.allow_wake_standby = false;
      THEN("hs is not offered") {
        REQUIRE(hosts_of(s, vgpu_search(s, no, &c.config())) == Names{"hb", "ha", "ha"});
      }
    }
  }
}

SCENARIO("fragmentation keeps room for a large profile when the request mix asks for it",
         "[scheduler][vgpu][ranking]") {
  GIVEN("two A40s in mixed-size mode (48 slots of 1 GB): hx holds a 24Q, hy a 16Q") {
    VgpuCluster c;
    const std::vector<std::string> sizes{"A40-8Q", "A40-16Q", "A40-24Q"};
    c.host("hx").gpu("A40", GpuMode::mixed_size, sizes).with("A40-24Q");  // slots 0-23
    c.host("hy").gpu("A40", GpuMode::mixed_size, sizes).with("A40-16Q");  // slots 0-15
    SearchRequest r = vgpu_request(c.profile_class("A40-8Q"));
    const State s = c.build();
    // An 8Q goes to slot 24 on hx (32 of 48 used) and to slot 16 on hy (24 of 48 used, the
    // run 24-47 stays whole for a 24Q). Both GPUs are busy: energy 100 on both.
    //   hx packing 100 * (3/4 * 32/48 + 1/4) = 75;  hy packing 100 * (3/4 * 24/48 + 1/4) = 62.5
    WHEN("nothing is known of the demand (fragmentation 50 on both)") {
      THEN("packing decides: hx (75 + 50 + 100) / 3 = 75 over hy (62.5 + 50 + 100) / 3 = 70.8") {
        REQUIRE(hosts_of(s, vgpu_search(s, r, &c.config())) == Names{"hx", "hy"});
      }
    }
    WHEN("the recent requests were all 24Q") {
      const std::vector<vg::ProfileWeight> mix{{c.profile("A40-24Q"), 1.0}};
      r.request_mix = &mix;
      THEN("hy first: the 8Q there leaves room for a 24Q, on hx it spoils the last one") {
        // F = free GB the mix cannot use = free - free_count(24Q) * 24
        // hx: before 24 - 1*24 = 0,  after 16 - 0 = 16: dF = +16 -> 50 * (1 - 16/48) = 33.3
        // hy: before 32 - 1*24 = 8,  after 24 - 1*24 = 0: dF = -8 -> 50 * (1 + 8/48) = 58.3
        // hx (75 + 33.3 + 100) / 3 = 69.4;  hy (62.5 + 58.3 + 100) / 3 = 73.6
        const auto cs = vgpu_search(s, r, &c.config());
        REQUIRE(hosts_of(s, cs) == Names{"hy", "hx"});
        REQUIRE(cs[0].vgpu_score->fragmentation == Approx(175.0 / 3));
        REQUIRE(cs[1].vgpu_score->fragmentation == Approx(100.0 / 3));
      }
      AND_WHEN("fragmentation has weight 0") {
        c.config().weights.fragmentation = 0;
        THEN("the mix is not looked at (neutral 50) and packing decides again: hx, hy") {
          const auto cs = vgpu_search(s, r, &c.config());
          REQUIRE(hosts_of(s, cs) == Names{"hx", "hy"});
          REQUIRE(cs[0].vgpu_score->fragmentation == Approx(50));
        }
      }
    }
  }
}

SCENARIO("a placement that would strand the host's other GPUs goes elsewhere",
         "[scheduler][vgpu][ranking]") {
  GIVEN("h1 and h2 alike (an A40 holding one 24Q, an idle A40), but h1 has 6 vCPUs, h2 64") {
    VgpuCluster c;
    c.host("h1").vcpus(6)
        .gpu("A40", GpuMode::equal_size, {"A40-24Q"}).with("A40-24Q")
        .gpu("A40", GpuMode::equal_size, {"A40-24Q"});
    c.host("h2")
        .gpu("A40", GpuMode::equal_size, {"A40-24Q"}).with("A40-24Q")
        .gpu("A40", GpuMode::equal_size, {"A40-24Q"});
    const ClassId rc = c.profile_class("A40-24Q");
    const State s = c.build();
    WHEN("a VM asks VCPU:4 and a 24Q") {
      SearchRequest r;
      r.groups = {group("", {{kVcpuRc, 4}, {rc, 1}})};
      const auto cs = vgpu_search(s, r, &c.config());
      THEN("h2's busy GPU first: on h1 only 2 vCPUs would be left, stranding its idle A40") {
        // busy GPU: packing 100 * (3/4 * 2/2 + 1/4 * 1/2) = 87.5, energy 100, fragmentation 50
        //   h2: total (87.5 + 100 + 50) / 3 = 79.17
        //   h1: one whole A40 left free with 2 vCPUs: fragmentation 50 - 50 * 1 = 0 -> 62.5
        REQUIRE(cs.size() == 4);
        REQUIRE(provider_of(s, cs[0], rc) == "h2_pci_0000_80_00_0");
        REQUIRE(cs[0].vgpu_score->fragmentation == Approx(50));
        REQUIRE(cs[0].vgpu_score->total == Approx(237.5 / 3));
        const auto on_h1 = std::find_if(cs.begin(), cs.end(), [&](const Candidate& x) {
          return provider_of(s, x, rc) == "h1_pci_0000_80_00_0";
        });
        REQUIRE(on_h1 != cs.end());
        REQUIRE(on_h1->vgpu_score->fragmentation == Approx(0));
        REQUIRE(on_h1->vgpu_score->total == Approx(62.5));
      }
    }
    WHEN("a VM asks VCPU:2: h1 keeps 4 vCPUs, room for another") {
      SearchRequest r;
      r.groups = {group("", {{kVcpuRc, 2}, {rc, 1}})};
      THEN("nothing is stranded: the two busy GPUs tie and h1 (lower id) comes first") {
        const auto cs = vgpu_search(s, r, &c.config());
        REQUIRE(provider_of(s, cs[0], rc) == "h1_pci_0000_80_00_0");
        REQUIRE(cs[0].vgpu_score->fragmentation == Approx(50));
      }
    }
  }
}

SCENARIO("spread (opt-in per request) picks the emptiest", "[scheduler][vgpu][ranking]") {
  GIVEN("h1 with six 4Q on its A40, h2 with one, h3 with none") {
    VgpuCluster c;
    c.host("h1").gpu("A40", GpuMode::equal_size, {"A40-4Q"}).with("A40-4Q", 6);
    c.host("h2").gpu("A40", GpuMode::equal_size, {"A40-4Q"}).with("A40-4Q");
    c.host("h3").gpu("A40", GpuMode::equal_size, {"A40-4Q"});
    SearchRequest r = vgpu_request(c.profile_class("A40-4Q"));
    const State s = c.build();
    // packing: h1 100 * (3/4 * 7/12 + 1/4) = 68.75, h2 37.5, h3 (no busy GPU yet) 6.25;
    // spread = 100 - packing
    THEN("packed by default: h1 (68.75 + 100 + 50) / 3, h2, then h3 (6.25 + 20 + 50) / 3") {
      REQUIRE(hosts_of(s, vgpu_search(s, r, &c.config())) == Names{"h1", "h2", "h3"});
    }
    THEN("spread asked: spread takes packing's and energy's weight (2): h3, h2, h1") {
      // h3 (2 * 93.75 + 50) / 3 = 79.17;  h2 (2 * 62.5 + 50) / 3 = 58.3;  h1 (2 * 31.25 + 50) / 3 = 37.5
      r.prefer_spread = true;
      const auto cs = vgpu_search(s, r, &c.config());
      REQUIRE(hosts_of(s, cs) == Names{"h3", "h2", "h1"});
      REQUIRE(cs[0].vgpu_score->total == Approx(237.5 / 3));
      REQUIRE(cs[2].vgpu_score->total == Approx(37.5));
    }
  }
}

SCENARIO("MIG: the GPU where the instance fits best first", "[scheduler][vgpu][ranking]") {
  GIVEN("h1's A100 (MIG) holds a 4g.20gb at slices 0-3, h2's A100 is empty") {
    VgpuCluster c;
    const std::vector<std::string> mig{"A100-3-20C", "A100-4-20C"};
    c.host("h1").gpu("A100", GpuMode::mig, mig);
    c.host("h2").gpu("A100", GpuMode::mig, mig).with("A100-4-20C");
    const ClassId rc = c.profile_class("A100-3-20C");
    const State s = c.build();
    THEN("a 3g.20gb goes beside the 4g (h2), filling the GPU; h1 would wake an idle GPU") {
      // h2: 8 of 8 memory slices after: packing 100 * (3/4 + 1/4) = 100, energy 100 -> 83.3
      // h1: 4 of 8: packing 100 * (3/4 * 1/2 + 1/4) = 62.5, energy 20 -> 44.2
      const auto cs = vgpu_search(s, vgpu_request(rc), &c.config());
      REQUIRE(hosts_of(s, cs) == Names{"h2", "h1"});
      REQUIRE(cs[0].vgpu_score->packing == Approx(100));
    }
  }
}

// The plain order: the same requests against plain trees give the same candidates, in the same
// order, with the same scores, with and without the vGPU profile.
SCENARIO("without managed GPUs the order is exactly the plain one", "[scheduler][vgpu][ranking]") {
  const vg::VgpuConfig config = vgpu_test_config();
  auto same = [&](const State& s, const SearchRequest& r) {
    const auto plain = vgpu_search(s, r, nullptr);
    const auto with_vgpu = vgpu_search(s, r, &config);
    REQUIRE(describe_all(with_vgpu) == describe_all(plain));
    REQUIRE(with_vgpu.size() == plain.size());
    for (std::size_t i = 0; i < plain.size(); ++i) {
      REQUIRE(with_vgpu[i].mappings == plain[i].mappings);
      REQUIRE(with_vgpu[i].score == plain[i].score);
      REQUIRE_FALSE(with_vgpu[i].vgpu_score);
    }
    return plain.size();
  };
  GIVEN("plain hosts with VGPU children, a sharing provider, several roots") {
    TreeBuilder b;
    b.provider(1).inventory(kVcpuClass, 8).aggregate(1)
        .provider(2, 1).inventory(kVgpuClass, 4)
        .provider(3, 1).inventory(kVgpuClass, 4, 2)
        .provider(4).inventory(kVcpuClass, 8)
        .provider(5, 4).inventory(kVgpuClass, 2, 1)
        .provider(6).inventory(kDiskClass, 100).trait(kSharesTrait).aggregate(1);
    const State s = b.build();
    THEN("VCPU:1,VGPU:1 in one group") {
      SearchRequest r;
      r.groups = {group("", {{kVcpuClass, 1}, {kVgpuClass, 1}})};
      REQUIRE(same(s, r) == 3);
    }
    THEN("numbered VGPU groups, limit") {
      SearchRequest r;
      r.groups = {group("", {{kVcpuClass, 1}}), group("1", {{kVgpuClass, 1}}),
                  group("2", {{kVgpuClass, 1}})};
      same(s, r);
      r.limit = 2;
      REQUIRE(same(s, r) == 2);
    }
    THEN("with a sharing provider") {
      SearchRequest r;
      r.groups = {group("", {{kVcpuClass, 1}, {kDiskClass, 10}})};
      REQUIRE(same(s, r) == 1);
    }
  }
}

SCENARIO("a request for no vGPU goes where it strands the least GPU", "[scheduler][vgpu][ranking]") {
  GIVEN("h1 with an idle A40, h2 with an A40 a quarter used, h3 with a full A40, h4 asleep "
        "with a full A40, h5 with two A40s a quarter used each") {
    VgpuCluster c;
    c.host("h1").gpu("A40", GpuMode::equal_size, {"A40-4Q"});
    c.host("h2").gpu("A40", GpuMode::equal_size, {"A40-4Q"}).with("A40-4Q", 3);
    c.host("h3").gpu("A40", GpuMode::equal_size, {"A40-4Q"}).with("A40-4Q", 12);
    c.host("h4", HostPowerState::standby)
        .gpu("A40", GpuMode::equal_size, {"A40-4Q"}).with("A40-4Q", 12);
    c.host("h5")
        .gpu("A40", GpuMode::equal_size, {"A40-4Q"}).with("A40-4Q", 3)
        .gpu("A40", GpuMode::equal_size, {"A40-4Q"}).with("A40-4Q", 3);
    const State s = c.build();
    SearchRequest r;
    r.groups = {numbered("1", {{kVcpuRc, 1}})};
    THEN("awake hosts by free GPU, least first (h3 0, h2 0.75, h1 1, h5 1.5); h4 asleep not offered") {
      // free GPU = 1 - framebuffer used / 48 GB per GPU: h2 1 - 12/48 = 0.75, h5 2 x 0.75
      REQUIRE(hosts_of(s, vgpu_search(s, r, &c.config())) == Names{"h3", "h2", "h1", "h5"});
    }
    THEN("with waking allowed, the standby host comes last though its GPU is full") {
      vg::VgpuConfig wake = c.config();
      wake.wake_standby_hosts = true;
      REQUIRE(hosts_of(s, vgpu_search(s, r, &wake)) == Names{"h3", "h2", "h1", "h5", "h4"});
    }
    THEN("plain Placement (no vGPU configuration) keeps root id order") {
      REQUIRE(hosts_of(s, vgpu_search(s, r, nullptr)) == Names{"h1", "h2", "h3", "h4", "h5"});
    }
    THEN("the vGPU rules without the vGPU score (no plugin keeps GPUs free): root id order") {
      ProfileConfig rules = vgpu_profile_config();
      rules.scores = {{"MostAllocated", 1}};
      const Profile profile = build_profile(rules, &c.config());
      REQUIRE(hosts_of(s, CandidateSearch(profile).run(s, r)) == Names{"h1", "h2", "h3", "h5"});
    }
    THEN("limit=1: the full host") {
      SearchRequest one = r;
      one.limit = 1;
      REQUIRE(hosts_of(s, vgpu_search(s, one, &c.config())) == Names{"h3"});
    }
  }
}

SCENARIO("managed trees rank before plain ones for a vGPU request", "[scheduler][vgpu][ranking]") {
  GIVEN("a plain host p (lowest id) with a VGPU child, and managed h1 (trait naming)") {
    VgpuCluster c;
    c.first_id(10).host("h1").gpu("A40", GpuMode::equal_size, {"A40-4Q"}, VgpuNaming::trait);
    State s = c.build();
    ChangeSet cs;
    Provider root;
    root.id = 1;
    root.uuid = vgpu_test_uuid(1);
    root.name = "p";
    root.inventories[kVcpuRc] = Inventory{8, 0, 1, 8, 1, 1.0};
    Provider child;
    child.id = 2;
    child.uuid = vgpu_test_uuid(2);
    child.name = "p_pci_0000_84_00_0";
    child.parent = 1;
    child.inventories[kVgpuRc] = Inventory{4, 0, 1, 4, 1, 1.0};
    cs.add(CreateProvider{root});
    cs.add(CreateProvider{child});
    s = s.with_changes(cs);
    THEN("VGPU:1 (the GPU's only profile on h1): h1 first, then the plain host") {
      REQUIRE(hosts_of(s, vgpu_search(s, vgpu_request(kVgpuRc), nullptr)) == Names{"p", "h1"});
      const auto found = vgpu_search(s, vgpu_request(kVgpuRc), &c.config());
      REQUIRE(hosts_of(s, found) == Names{"h1", "p"});
      REQUIRE(found[0].vgpu_score);
      REQUIRE_FALSE(found[1].vgpu_score);
    }
  }
}

SCENARIO("Nova's trait naming: VGPU with the profile as a required trait",
         "[scheduler][vgpu][ranking]") {
  GIVEN("three A40s reporting VGPU and a trait per profile: h1's runs 8Q, h2's 4Q, h3's none") {
    VgpuCluster c;
    const std::vector<std::string> both{"A40-4Q", "A40-8Q"};
    c.host("h1").gpu("A40", GpuMode::equal_size, both, VgpuNaming::trait).with("A40-8Q");
    c.host("h2").gpu("A40", GpuMode::equal_size, both, VgpuNaming::trait).with("A40-4Q");
    c.host("h3").gpu("A40", GpuMode::equal_size, both, VgpuNaming::trait);
    SearchRequest r = vgpu_request(kVgpuRc);
    r.groups[0].traits.required_any = {{c.profile_trait("A40-4Q")}};
    const State s = c.build();
    THEN("resources=VCPU:1,VGPU:1&required=CUSTOM_NVIDIA_A40_4Q: h2, then h3; h1 is locked to 8Q") {
      // Plain Placement would offer all three (each carries the trait and has VGPU free).
      REQUIRE(hosts_of(s, vgpu_search(s, r, nullptr)) == Names{"h1", "h2", "h3"});
      // h2: packing 100 * (3/4 * 2/12 + 1/4) = 37.5, energy 100 -> 62.5
      // h3: packing 100 * (3/4 * 1/12 + 1/4 * 0/1) = 6.25, energy 20 -> 25.42
      const auto cs = vgpu_search(s, r, &c.config());
      REQUIRE(hosts_of(s, cs) == Names{"h2", "h3"});
      REQUIRE(cs[0].vgpu_score->total == Approx(62.5));
      REQUIRE(cs[1].vgpu_score->total == Approx(76.25 / 3));
    }
  }
}
