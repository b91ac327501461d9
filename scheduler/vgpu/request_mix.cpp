#include "scheduler/vgpu/request_mix.hpp"
#include "scheduler/vgpu/text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace vgpu::scheduler::vgpu {
namespace {

bool valid_half_life(double h) { return std::isfinite(h) && h > 0; }

}  // namespace

std::optional<std::string> validate(const RequestMixOptions& o) {
  if (!valid_half_life(o.half_life_seconds)) {
    return "request mix half_life_seconds must be a finite number > 0 (got " +
           number_text(o.half_life_seconds) + ")";
  }
  if (o.max_profiles < 1) return "request mix max_profiles must be >= 1 (got 0)";
  return std::nullopt;
}

RequestMix::RequestMix(RequestMixOptions options) : options_(options) {
  if (!valid_half_life(options_.half_life_seconds)) {
    options_.half_life_seconds = RequestMixOptions{}.half_life_seconds;
  }
  options_.max_profiles = std::max<std::size_t>(1, options_.max_profiles);
}

double RequestMix::decay_to(double now_seconds) const {
  if (!(now_seconds > last_seen_)) return 1.0;
  return std::exp2(-(now_seconds - last_seen_) / options_.half_life_seconds);
}

void RequestMix::observe(ProfileIndex profile, double count, double now_seconds) {
  if (!std::isfinite(count) || count <= 0 || !std::isfinite(now_seconds)) return;
  // Bring every weight to the newer of the two times, then add.
  const double factor = decay_to(now_seconds);
  if (factor != 1.0) {
    for (ProfileWeight& e : entries_) e.weight *= factor;
    // After a long quiet spell old weights underflow to 0: they no longer say anything.
    std::erase_if(entries_, [](const ProfileWeight& e) { return e.weight <= 0; });
  }
  if (entries_.empty() || now_seconds > last_seen_) last_seen_ = now_seconds;

  auto at = std::lower_bound(entries_.begin(), entries_.end(), profile,
                             [](const ProfileWeight& e, ProfileIndex p) { return e.profile < p; });
  if (at != entries_.end() && at->profile == profile) {
    at->weight += count;
    return;
  }
  if (entries_.size() >= options_.max_profiles) {
    // Drop the lightest (ties: the highest index, so the choice never depends on anything else).
    auto lightest = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->weight <= lightest->weight) lightest = it;
    }
    const bool inserted_after = lightest < at;
    entries_.erase(lightest);
    if (inserted_after) --at;
  }
  entries_.insert(at, {profile, count});
}

double RequestMix::weight(ProfileIndex profile, double now_seconds) const {
  auto at = std::lower_bound(entries_.begin(), entries_.end(), profile,
                             [](const ProfileWeight& e, ProfileIndex p) { return e.profile < p; });
  if (at == entries_.end() || at->profile != profile) return 0;
  return at->weight * decay_to(now_seconds);
}

double RequestMix::total_weight(double now_seconds) const {
  double sum = 0;
  for (const ProfileWeight& e : entries_) sum += e.weight;
  return sum * decay_to(now_seconds);
}

std::vector<ProfileWeight> RequestMix::weights(double /*now_seconds*/) const {
  // Uniform decay cancels out; normalise the stored weights (avoids underflow after long idle).
  double sum = 0;
  for (const ProfileWeight& e : entries_) sum += e.weight;
  std::vector<ProfileWeight> out;
  if (!(sum > 0)) return out;
  out.reserve(entries_.size());
  for (const ProfileWeight& e : entries_) out.push_back({e.profile, e.weight / sum});
  return out;
}

}  // namespace vgpu::scheduler::vgpu
