// stranded_gpus (scheduler/vgpu/score_stranding.hpp): the host's free GPUs count as stranded
// when, after the placement, some resource the request asks has less left than it asks.
#include <catch2/catch.hpp>

#include <vector>

#include "scheduler/vgpu/score_stranding.hpp"

using namespace vgpu::scheduler::vgpu;

TEST_CASE("stranded GPUs: another VM like this one must still fit", "[vgpu][stranding]") {
  SECTION("room for another: nothing stranded") {
    const std::vector<HostResourceAsk> r{{16, 8}, {65536, 8192}};  // 8 of 16 vCPUs left after
    CHECK(stranded_gpus(r, 1.5) == 0);
  }
  SECTION("vCPUs left after the placement below the ask: every free GPU is stranded") {
    const std::vector<HostResourceAsk> r{{15, 8}, {65536, 8192}};  // 7 left < 8
    CHECK(stranded_gpus(r, 1.5) == 1.5);
  }
  SECTION("memory alone can strand") {
    const std::vector<HostResourceAsk> r{{64, 4}, {12000, 8192}};  // 3,808 MB left < 8,192
    CHECK(stranded_gpus(r, 2) == 2);
  }
  SECTION("no GPU room left: nothing to strand") {
    const std::vector<HostResourceAsk> r{{8, 8}};
    CHECK(stranded_gpus(r, 0) == 0);
  }
  SECTION("no resource asked on the host, or only zero asks") {
    CHECK(stranded_gpus({}, 3) == 0);
    const std::vector<HostResourceAsk> zero{{0, 0}};
    CHECK(stranded_gpus(zero, 3) == 0);
  }
}
