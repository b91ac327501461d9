#include "api/request_mix_tracker.hpp"

namespace vgpu::api {

namespace {
// How long a computed mix is reused: the mix decays over an hour by default, so a second is
// far below anything a ranking can notice, and a busy scheduler does not rebuild it per request.
constexpr double kRefreshSeconds = 1.0;
}  // namespace

RequestMixTracker::RequestMixTracker(scheduler::vgpu::RequestMixOptions options)
    : mix_(options), cached_(std::make_shared<const Weights>()) {}

double RequestMixTracker::now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void RequestMixTracker::observe(scheduler::vgpu::ProfileIndex profile, int count) {
  if (profile < 0 || count <= 0) return;
  std::lock_guard lock(mutex_);
  mix_.observe(profile, count, now_seconds());
  dirty_ = true;
}

std::shared_ptr<const RequestMixTracker::Weights> RequestMixTracker::weights() const {
  std::lock_guard lock(mutex_);
  const double now = now_seconds();
  if (dirty_ && now - cached_at_ >= kRefreshSeconds) {
    cached_ = std::make_shared<const Weights>(mix_.weights(now));
    cached_at_ = now;
    dirty_ = false;
  }
  return cached_;
}

}  // namespace vgpu::api
