#include <catch2/catch.hpp>

#include <limits>
#include <vector>

#include "scheduler/vgpu/power_model.hpp"

using namespace vgpu::scheduler::vgpu;

namespace {

// Test figures, not measurements: a host drawing 100 W of its own (10 W in standby) with two
// GPUs whose board defaults are 30 W idle / 80 W busy; GPU 1 reports its own busy figure, 90 W.
HostPower two_gpu_host(double per_vgpu_watts = 0) {
  Board board;
  board.idle_watts = 30;
  board.busy_watts = 80;
  const std::vector<GpuPower> defaults(2, default_gpu_power(board));
  HostPowerFigures figures{100, 10, {{}, {std::nullopt, 90.0, std::nullopt}}};
  figures.gpus[0].per_vgpu_watts = per_vgpu_watts;
  return resolve(figures, defaults);
}

}  // namespace

TEST_CASE("host power figures fall back to the board defaults", "[vgpu]") {
  const HostPower host = two_gpu_host();
  REQUIRE(host.gpus.size() == 2);
  CHECK(host.gpus[0].idle_watts == 30);
  CHECK(host.gpus[0].busy_watts == 80);
  CHECK(host.gpus[1].idle_watts == 30);   // default
  CHECK(host.gpus[1].busy_watts == 90);   // reported
  CHECK(host.gpus[1].per_vgpu_watts == 0);
  CHECK(host.idle_watts == 100);
  CHECK(host.standby_watts == 10);
}

TEST_CASE("modelled host power", "[vgpu]") {
  struct Case { const char* name; HostPowerState state; std::vector<int> vgpus; double watts; };
  const Case cases[] = {
      {"awake, both GPUs idle: 100 + 30 + 30", HostPowerState::active, {0, 0}, 160},
      {"awake, both busy: 100 + 80 + 90", HostPowerState::active, {1, 3}, 270},
      {"draining draws like active: 100 + 80 + 30", HostPowerState::draining, {2, 0}, 210},
      {"standby: the standby figure", HostPowerState::standby, {0, 0}, 10},
      {"standby with a vGPU resident is awake: 100 + 80 + 30", HostPowerState::standby, {1, 0}, 210},
  };
  const HostPower host = two_gpu_host();
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(host_watts(host, c.state, c.vgpus) == Approx(c.watts));
  }
  // per_vgpu_watts 5 on GPU 0: busy + 5 per vGPU after the first: 100 + (80 + 2 * 5) + 30
  CHECK(host_watts(two_gpu_host(5), HostPowerState::active, std::vector<int>{3, 0}) == Approx(220));
}

TEST_CASE("marginal watts of one more vGPU", "[vgpu]") {
  struct Case {
    const char* name;
    double per_vgpu_watts;
    HostPowerState state;
    std::vector<int> vgpus;
    std::size_t gpu;
    double watts;
  };
  const Case cases[] = {
      {"busy GPU, awake host: nothing more", 0, HostPowerState::active, {2, 0}, 0, 0},
      {"busy GPU with a per-vGPU increment: the increment", 5, HostPowerState::active, {2, 0}, 0, 5},
      {"idle GPU, awake host: busy - idle = 90 - 30", 0, HostPowerState::active, {2, 0}, 1, 60},
      {"idle GPU, draining host: 80 - 30", 0, HostPowerState::draining, {0, 0}, 0, 50},
      {"standby host, GPU 0: wakes it, 100 + 80 + 30 (GPU 1 idle) - 10", 0, HostPowerState::standby,
       {0, 0}, 0, 200},
      {"standby host, GPU 1: 100 + 90 + 30 - 10", 0, HostPowerState::standby, {0, 0}, 1, 210},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(marginal_watts(two_gpu_host(c.per_vgpu_watts), c.state, c.vgpus, c.gpu) == Approx(c.watts));
  }
}

TEST_CASE("host power states by name", "[vgpu]") {
  for (HostPowerState s : {HostPowerState::active, HostPowerState::draining, HostPowerState::standby}) {
    CHECK(host_power_state_from_string(to_string(s)) == s);
  }
  CHECK(to_string(HostPowerState::standby) == "standby");
  CHECK_FALSE(host_power_state_from_string("asleep").has_value());
  CHECK(is_awake(HostPowerState::draining));
  CHECK_FALSE(is_awake(HostPowerState::standby));
}

TEST_CASE("power figures are validated with the field named", "[vgpu]") {
  CHECK_FALSE(validate(two_gpu_host()).has_value());
  HostPower host = two_gpu_host();
  host.gpus[1].busy_watts = 20;
  CHECK(validate(host) == std::optional<std::string>("gpu 1 busy_watts 20 is below idle_watts 30"));
  host = two_gpu_host();
  host.idle_watts = -5;
  CHECK(validate(host) ==
        std::optional<std::string>("host idle_watts must be a finite number >= 0 (got -5)"));
  host = two_gpu_host();
  host.gpus[0].per_vgpu_watts = std::numeric_limits<double>::infinity();
  CHECK(validate(host) ==
        std::optional<std::string>("gpu 0 per_vgpu_watts must be a finite number >= 0 (got inf)"));
}
