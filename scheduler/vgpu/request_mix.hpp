#pragma once
// What profiles have been asked for lately: a histogram whose weights decay exponentially with a
// configurable half-life, so the fragmentation score (score_fragmentation.hpp) judges free space
// against the demand the site actually sees. Time comes in as numbers (seconds on any clock
// that does not go backwards); nothing here reads a clock.
//
// Weight of an observation of `count` requests at time t, seen at time now:
//   count * 2^(-(now - t) / half_life)
// weights(now) divides each profile's weight by their sum. Decay multiplies every weight by the
// same factor, so the normalised weights only change when something is observed; `now` matters
// for total_weight (how much recent evidence there is) and for weight().
//
// Bounded: at most max_profiles entries; when a new profile arrives at a full histogram the
// lightest entry (ties: the highest profile index) is dropped. Deterministic: no randomness, no
// dependence on hash order.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "scheduler/vgpu/catalog.hpp"

namespace vgpu::scheduler::vgpu {

struct ProfileWeight {
  ProfileIndex profile = 0;
  double weight = 0;
};

struct RequestMixOptions {
  double half_life_seconds = 3600;
  std::size_t max_profiles = 256;  // a catalog has a few hundred profiles; sites use far fewer
};

// Returns a message naming the bad field (half_life_seconds must be finite and > 0,
// max_profiles >= 1), or nullopt when valid.
std::optional<std::string> validate(const RequestMixOptions&);

class RequestMix {
 public:
  // Options must be valid (validate()); an invalid half-life is replaced by the default.
  explicit RequestMix(RequestMixOptions options = {});

  // Records `count` requests of `profile` at `now_seconds`. Ignored when count <= 0 or a number
  // is not finite. A `now` earlier than the last observation counts as the last observation's
  // time (no weight ever grows by going back in time).
  void observe(ProfileIndex profile, double count, double now_seconds);

  // Normalised weights (sum 1), ascending profile index; empty when nothing was observed.
  std::vector<ProfileWeight> weights(double now_seconds) const;
  // Decayed, unnormalised weight of one profile / of all profiles at `now_seconds`.
  double weight(ProfileIndex profile, double now_seconds) const;
  double total_weight(double now_seconds) const;

  std::size_t size() const { return entries_.size(); }
  const RequestMixOptions& options() const { return options_; }

 private:
  // 2^(-(now - last_seen_) / half_life), 1 when now is not after last_seen_.
  double decay_to(double now_seconds) const;

  RequestMixOptions options_;
  std::vector<ProfileWeight> entries_;  // sorted by profile, weights as of last_seen_
  double last_seen_ = 0;
};

}  // namespace vgpu::scheduler::vgpu
