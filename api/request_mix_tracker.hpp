#pragma once
// The service's recent vGPU demand: a decaying histogram of the profiles claims asked for
// (scheduler/vgpu/request_mix.hpp), shared by every request. The fragmentation score ranks a
// placement by how much it reduces the room left for this mix; without it the score is neutral.
// Thread-safe; searches read an immutable copy, refreshed at most once a second.
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "scheduler/vgpu/request_mix.hpp"

namespace vgpu::api {

class RequestMixTracker {
 public:
  using Weights = std::vector<scheduler::vgpu::ProfileWeight>;

  explicit RequestMixTracker(scheduler::vgpu::RequestMixOptions options);

  // `count` vGPUs of `profile` asked for now.
  void observe(scheduler::vgpu::ProfileIndex profile, int count);
  // The normalised mix now (empty until something was observed). Never null.
  std::shared_ptr<const Weights> weights() const;

 private:
  static double now_seconds();

  mutable std::mutex mutex_;
  scheduler::vgpu::RequestMix mix_;
  mutable std::shared_ptr<const Weights> cached_;
  mutable double cached_at_ = -1;
  mutable bool dirty_ = true;
};

}  // namespace vgpu::api
