#include <catch2/catch.hpp>

#include <limits>
#include <vector>

#include "scheduler/vgpu/request_mix.hpp"

using namespace vgpu::scheduler::vgpu;

namespace {

RequestMix mix(double half_life_seconds, std::size_t max_profiles = 256) {
  return RequestMix({half_life_seconds, max_profiles});
}

std::vector<ProfileIndex> profiles_of(const std::vector<ProfileWeight>& ws) {
  std::vector<ProfileIndex> out;
  for (const ProfileWeight& w : ws) out.push_back(w.profile);
  return out;
}

}  // namespace

TEST_CASE("request mix: each half-life halves a weight", "[vgpu]") {
  RequestMix m = mix(60);
  m.observe(7, 4, 0);
  struct Case { double now; double weight; };
  const Case cases[] = {
      {0, 4},     // as observed
      {60, 2},    // one half-life: 4 / 2
      {120, 1},   // two: 4 / 4
      {30, 2.8284271247461903},  // half of one: 4 / sqrt(2)
  };
  for (const Case& c : cases) {
    INFO("now " << c.now);
    CHECK(m.weight(7, c.now) == Approx(c.weight));
    CHECK(m.total_weight(c.now) == Approx(c.weight));
  }
  CHECK(m.weight(8, 0) == 0);  // never observed
}

TEST_CASE("request mix: weights are normalised and recent requests count more", "[vgpu]") {
  RequestMix m = mix(60);
  m.observe(2, 4, 0);   // at t = 60 worth 4 / 2 = 2
  m.observe(1, 2, 60);  // at t = 60 worth 2
  const auto w = m.weights(60);
  REQUIRE(profiles_of(w) == std::vector<ProfileIndex>{1, 2});  // ascending profile
  CHECK(w[0].weight == Approx(0.5));  // 2 / (2 + 2)
  CHECK(w[1].weight == Approx(0.5));
  m.observe(2, 1, 120);  // p2: 2 / 2 + 1 = 2, p1: 2 / 2 = 1
  const auto later = m.weights(120);
  CHECK(later[0].weight == Approx(1.0 / 3));
  CHECK(later[1].weight == Approx(2.0 / 3));
  // Decay is the same for every profile: the normalised weights do not move with time alone.
  CHECK(m.weights(10'000)[0].weight == Approx(1.0 / 3));
  CHECK(m.total_weight(180) == Approx(1.5));  // (1 + 2) / 2
}

TEST_CASE("request mix: bounded, deterministic eviction, odd inputs ignored", "[vgpu]") {
  RequestMix m = mix(60, 2);
  m.observe(1, 1, 0);
  m.observe(2, 3, 0);
  m.observe(3, 2, 0);  // full: the lightest, p1 (1), goes
  CHECK(profiles_of(m.weights(0)) == std::vector<ProfileIndex>{2, 3});

  RequestMix ties = mix(60, 2);
  ties.observe(5, 1, 0);
  ties.observe(7, 1, 0);
  ties.observe(6, 1, 0);  // p5 and p7 equally light: the higher index, p7, goes
  CHECK(profiles_of(ties.weights(0)) == std::vector<ProfileIndex>{5, 6});

  RequestMix odd = mix(60);
  odd.observe(1, 0, 0);
  odd.observe(1, -3, 0);
  odd.observe(1, std::numeric_limits<double>::quiet_NaN(), 0);
  odd.observe(1, 1, std::numeric_limits<double>::infinity());
  CHECK(odd.weights(0).empty());
  CHECK(odd.size() == 0);
}

TEST_CASE("request mix: time never runs backwards, long silence forgets", "[vgpu]") {
  RequestMix m = mix(60);
  m.observe(1, 4, 120);
  m.observe(2, 4, 60);  // earlier than the last observation: counted at t = 120, not grown
  CHECK(m.weight(2, 120) == Approx(4));
  CHECK(m.weight(1, 120) == Approx(4));

  RequestMix quiet = mix(1);
  quiet.observe(1, 1, 0);
  quiet.observe(2, 1, 1e9);  // 1e9 half-lives later p1 underflows to 0 and is dropped
  CHECK(quiet.size() == 1);
  REQUIRE(quiet.weights(1e9).size() == 1);
  CHECK(quiet.weights(1e9)[0].profile == 2);
  CHECK(quiet.weights(1e9)[0].weight == 1);
}

TEST_CASE("request mix options are validated with the field named", "[vgpu]") {
  CHECK_FALSE(validate(RequestMixOptions{}).has_value());
  CHECK(validate(RequestMixOptions{0, 10}) ==
        std::optional<std::string>(
            "request mix half_life_seconds must be a finite number > 0 (got 0)"));
  CHECK(validate(RequestMixOptions{60, 0}) ==
        std::optional<std::string>("request mix max_profiles must be >= 1 (got 0)"));
  // An invalid half-life given anyway falls back to the default instead of dividing by zero.
  CHECK(RequestMix({0, 10}).options().half_life_seconds == RequestMixOptions{}.half_life_seconds);
}
