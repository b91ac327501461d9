#include <catch2/catch.hpp>

#include <limits>
#include <map>
#include <vector>

#include "scheduler/vgpu/power_model.hpp"
#include "scheduler/vgpu/score_energy.hpp"
#include "scheduler/vgpu/score_fragmentation.hpp"
#include "scheduler/vgpu/score_packing.hpp"
#include "scheduler/vgpu/score_spread.hpp"
#include "scheduler/vgpu/score_weights.hpp"

using namespace vgpu::scheduler::vgpu;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// One row of the mix on one GPU; sizes in GB to keep the arithmetic readable.
MixFit fit(double weight, std::int64_t size, int before, int after) {
  return {weight, size, before, after};
}

double fragmentation(std::int64_t capacity, std::int64_t free_before, std::int64_t placed,
                     const std::vector<MixFit>& mix) {
  return fragmentation_score({capacity, free_before, free_before - placed, mix});
}

// An A16 host: 4 GPUs of 16 GB. Test power figures (not measurements): host 150 W awake, 0 W in
// standby; each GPU 20 W idle, 62.5 W busy (a 250 W board over 4 GPUs).
HostPower a16_host() {
  Board a16;
  a16.idle_watts = 20;
  a16.busy_watts = 62.5;
  const std::vector<GpuPower> defaults(4, default_gpu_power(a16));
  return resolve({150, 0, std::vector<GpuPowerFigures>(4)}, defaults);
}
constexpr double kA16Reference = 62.5 - 20;  // busy - idle: the dearest awake placement

}  // namespace

TEST_CASE("packing: fuller GPU and fuller host first; spread: the reverse", "[vgpu]") {
  struct Case { const char* name; PackingInput in; double packing; };
  const Case cases[] = {
      // 100 * (0.75 * gpu_fill + 0.25 * host_fill)
      {"4th of 4 A16-4Q, host 1 of 4 GPUs busy: 75 * 4/4 + 25 * 1/4", {4, 4, 1, 4}, 81.25},
      {"1st of 4 A16-4Q, host 1 of 4 busy: 75 * 1/4 + 25 * 1/4", {1, 4, 1, 4}, 25},
      {"the last slot of a full host: 75 + 25", {2, 2, 4, 4}, 100},
      {"the first vGPU of an idle host: 75 * 1/4", {1, 4, 0, 4}, 18.75},
      {"framebuffer units, 12 of 48 GB, one-GPU host: 75 * 1/4 + 25", {12, 48, 1, 1}, 43.75},
      {"no capacity, no host GPUs: 0", {1, 0, 0, 0}, 0},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(packing_score(c.in) == Approx(c.packing));
    CHECK(spread_score(c.in) == Approx(100 - c.packing));
  }
}

TEST_CASE("energy: no extra watts is best, a standby host ranks below every awake one", "[vgpu]") {
  constexpr double r = 40;  // reference watts
  struct Case { const char* name; double watts; HostPowerState state; double reference; double score; };
  const Case cases[] = {
      // awake: 100 - 80 * min(m / R, 1); standby: 10 * R / (R + m)
      {"busy GPU, 0 W", 0, HostPowerState::active, r, 100},
      {"half the reference: 100 - 80 * 0.5", 20, HostPowerState::active, r, 60},
      {"the reference: 100 - 80", 40, HostPowerState::active, r, 20},
      {"above the reference: floored at 20", 120, HostPowerState::draining, r, 20},
      {"negative counts as 0", -5, HostPowerState::active, r, 100},
      {"unknown counts as dearest", kNaN, HostPowerState::active, r, 20},
      {"waking a host, m = R: 10 * 40 / 80", 40, HostPowerState::standby, r, 5},
      {"waking a host, m = 3R: 10 * 40 / 160", 120, HostPowerState::standby, r, 2.5},
      {"no reference, 0 W", 0, HostPowerState::active, 0, 100},
      {"no reference, some watts", 1, HostPowerState::active, 0, 20},
      {"no reference, standby", 300, HostPowerState::standby, 0, 0},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(energy_score({c.watts, c.state, c.reference}) == Approx(c.score));
  }
  for (double awake : {0.0, 40.0, 1e6}) {
    for (double waking : {0.0, 1.0, 40.0, 1e6}) {
      INFO("awake " << awake << " W, waking " << waking << " W");
      CHECK(energy_score({awake, HostPowerState::active, r}) >
            energy_score({waking, HostPowerState::standby, r}));
    }
  }
}

TEST_CASE("fragmentation: the 8 GB vGPU goes where it spoils no room for a 24 GB one", "[vgpu]") {
  // L4, 24 GB, equal-size mode; mix 8Q 0.5 (max 3 per GPU), 24Q 0.5 (max 1); request 8Q.
  // Empty GPU:       F_before = .5*(24 - 3*8) + .5*(24 - 1*24) = 0
  //                  F_after  = .5*(16 - 2*8) + .5*(16 - 0*24) = 8      dF = +8
  //                  score    = 50 * (1 - 8/24) = 33.3
  const std::vector<MixFit> on_empty = {fit(.5, 8, 3, 2), fit(.5, 24, 1, 0)};
  // GPU with an 8Q:  F_before = .5*(16 - 2*8) + .5*(16 - 0) = 8
  //                  F_after  = .5*(8 - 1*8) + .5*(8 - 0) = 4           dF = -4
  //                  score    = 50 * (1 + 4/24) = 58.3
  const std::vector<MixFit> next_to_8q = {fit(.5, 8, 2, 1), fit(.5, 24, 0, 0)};
  CHECK(fragmentation_delta({24, 24, 16, on_empty}) == Approx(8));
  CHECK(fragmentation_delta({24, 16, 8, next_to_8q}) == Approx(-4));
  const double empty = fragmentation(24, 24, 8, on_empty);
  const double shared = fragmentation(24, 16, 8, next_to_8q);
  CHECK(empty == Approx(100.0 / 3));
  CHECK(shared == Approx(175.0 / 3));
  CHECK(shared > empty);
}

TEST_CASE("fragmentation: worked cases", "[vgpu]") {
  struct Case {
    const char* name;
    std::int64_t capacity, free_before, placed;
    std::vector<MixFit> mix;
    double score;
  };
  const Case cases[] = {
      // A40, 48 GB; mix 1Q only, capped at 32 per GPU.
      {"per-profile cap: 48 - 32 = 16 stays fragment before and after, dF = 0",
       48, 48, 1, {fit(1, 1, 32, 31)}, 50},
      // Equal-size: a 4Q locks the GPU, no 1Q fits after: F 16 -> 44, dF = 28, 50 * (1 - 28/48)
      {"a 4Q on an empty A40 locks out the mix's 1Q", 48, 48, 4, {fit(1, 1, 32, 0)},
       50 * (1 - 28.0 / 48)},
      // Mixed-size, 16 GB with 12 used: a 4 GB hole no 8Q fits (F = 4); a 4Q fills it (F = 0).
      {"filling a hole the mix cannot use: dF = -4, 50 * (1 + 4/16)", 16, 4, 4, {fit(1, 8, 0, 0)},
       62.5},
      {"empty mix: neutral", 16, 16, 4, {}, 50},
      {"no capacity: neutral", 0, 0, 0, {fit(1, 8, 0, 0)}, 50},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(fragmentation(c.capacity, c.free_before, c.placed, c.mix) == Approx(c.score));
  }
}

TEST_CASE("fragmentation: mix rows from the request mix and the placement rules' answers", "[vgpu]") {
  const std::vector<ProfileWeight> mix = {{10, 0.25}, {11, 0.5}, {12, 0.25}};
  const std::map<ProfileIndex, std::int64_t> size = {{10, 8}, {11, 0}, {12, 24}};  // 11: other board
  const auto fits = mix_fits(
      mix, [&](ProfileIndex p) { return size.at(p); }, [](ProfileIndex p) { return p == 10 ? 3 : 1; },
      [](ProfileIndex p) { return p == 10 ? 2 : 0; });
  REQUIRE(fits.size() == 2);
  CHECK(fits[0].weight == Approx(0.5));  // 0.25 / (0.25 + 0.25)
  CHECK(fits[0].size == 8);
  CHECK(fits[0].free_count_before == 3);
  CHECK(fits[0].free_count_after == 2);
  CHECK(fits[1].weight == Approx(0.5));
  CHECK(fits[1].size == 24);
  CHECK(fits[1].free_count_after == 0);
}

SCENARIO("two A16 GPUs, one with 3 of 4 A16-4Q used, one empty", "[vgpu]") {
  GIVEN("a request for one more A16-4Q on an awake host; mix 4Q 0.5, 16Q 0.5") {
    const HostPower host = a16_host();
    const std::vector<int> vgpus = {3, 0, 0, 0};
    // GPU 0: 4 of 4 after; GPU 1: 1 of 4 after; the host has 1 of 4 GPUs busy before.
    const PackingInput full{4, 4, 1, 4};
    const PackingInput empty{1, 4, 1, 4};
    // GPU 0: free 4 -> 0; F = .5*(4 - 1*4) + .5*(4 - 0) = 2 -> 0, dF = -2, 50 * (1 + 2/16) = 56.25
    // GPU 1: free 16 -> 12; F = 0 -> .5*(12 - 3*4) + .5*(12 - 0) = 6, dF = +6, 50 * (1 - 6/16) = 31.25
    const std::vector<MixFit> mix_full = {fit(.5, 4, 1, 0), fit(.5, 16, 0, 0)};
    const std::vector<MixFit> mix_empty = {fit(.5, 4, 4, 3), fit(.5, 16, 1, 0)};

    THEN("packing prefers the fuller GPU (81.25 against 25), spread the empty one") {
      CHECK(packing_score(full) == Approx(81.25));
      CHECK(packing_score(empty) == Approx(25));
      CHECK(spread_score(empty) > spread_score(full));
    }
    THEN("energy prefers the busy GPU: 0 W (100) against 62.5 - 20 = 42.5 W (20)") {
      const double m_full = marginal_watts(host, HostPowerState::active, vgpus, 0);
      const double m_empty = marginal_watts(host, HostPowerState::active, vgpus, 1);
      CHECK(m_full == Approx(0));
      CHECK(m_empty == Approx(42.5));
      CHECK(energy_score({m_full, HostPowerState::active, kA16Reference}) == Approx(100));
      CHECK(energy_score({m_empty, HostPowerState::active, kA16Reference}) == Approx(20));
    }
    THEN("fragmentation prefers the fuller GPU, keeping the empty one for a 16Q") {
      CHECK(fragmentation(16, 4, 4, mix_full) == Approx(56.25));
      CHECK(fragmentation(16, 16, 4, mix_empty) == Approx(31.25));
    }
    THEN("combined, default weights: (81.25 + 56.25 + 100) / 3 against (31.25 + 31.25 + 20) / 3") {
      const ScoreWeights w;
      const ScoreParts a = combine(w, {81.25, 56.25, 100, spread_score(full)});
      const ScoreParts b = combine(w, {31.25, 31.25, 20, spread_score(empty)});
      CHECK(a.total == Approx(237.5 / 3));
      CHECK(b.total == Approx(27.5));
      CHECK(a.spread == Approx(18.75));  // reported, weight 0, not counted
    }
  }
  GIVEN("the same GPU on a host in standby") {
    THEN("waking it costs 150 + 62.5 + 3 * 20 = 272.5 W: 10 * 42.5 / 315, below any awake GPU") {
      const double m = marginal_watts(a16_host(), HostPowerState::standby, std::vector<int>(4, 0), 1);
      CHECK(m == Approx(272.5));
      const double standby = energy_score({m, HostPowerState::standby, kA16Reference});
      CHECK(standby == Approx(10 * 42.5 / 315));
      CHECK(standby < energy_score({kA16Reference, HostPowerState::active, kA16Reference}));
    }
  }
}

TEST_CASE("score weights: weighted mean, named fields, validation", "[vgpu]") {
  struct Case { const char* name; ScoreWeights w; ScoreParts parts; double total; };
  const Case cases[] = {
      {"defaults: (80 + 50 + 20) / 3, spread not counted", {}, {80, 50, 20, 10}, 50},
      {"packing twice: (2*80 + 50 + 20) / 4", {2, 1, 1, 0}, {80, 50, 20, 10}, 57.5},
      {"spread only: 10", {0, 0, 0, 1}, {80, 50, 20, 10}, 10},
      {"all zero (validate refuses it): 0", {0, 0, 0, 0}, {80, 50, 20, 10}, 0},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(combine(c.w, c.parts).total == Approx(c.total));
  }

  ScoreWeights w;
  CHECK(set_weight(w, "energy", 3));
  CHECK(w.energy == 3);
  CHECK_FALSE(set_weight(w, "latency", 1));
  CHECK(kScoreFields[1].name == "fragmentation");

  struct Invalid { ScoreWeights w; const char* message; };
  const Invalid invalid[] = {
      {{1, 1, -1, 0}, "score weight \"energy\" must be >= 0 (got -1)"},
      {{kNaN, 1, 1, 0}, "score weight \"packing\" must be finite (got nan)"},
      {{1, kInf, 1, 0}, "score weight \"fragmentation\" must be finite (got inf)"},
      {{1, 1, 1, -0.5}, "score weight \"spread\" must be >= 0 (got -0.5)"},
      {{0, 0, 0, 0}, "score weights must not all be 0 (packing, fragmentation, energy, spread)"},
  };
  for (const Invalid& c : invalid) {
    CHECK(validate(c.w) == std::optional<std::string>(c.message));
  }
  CHECK_FALSE(validate(ScoreWeights{}).has_value());
  CHECK_FALSE(validate(ScoreWeights{0, 0, 0, 1}).has_value());
}
