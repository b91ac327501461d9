#pragma once
// The connections a server has open, so that stop() can close the idle ones at once and wait,
// with a deadline, for the busy ones to finish their request. Plain C++: no Asio here.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace vgpu::http::detail {

class ConnectionRegistry {
 public:
  using Id = std::uint64_t;

  // `stop_if_idle` is called by stop_idle() to ask the connection to close if it is waiting
  // for a request; it must not block, and may run after the connection was removed.
  Id add(std::function<void()> stop_if_idle);
  void remove(Id id);
  void stop_idle();
  // True when every connection was removed before the deadline.
  bool wait_empty_until(std::chrono::steady_clock::time_point deadline);
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable empty_;
  std::unordered_map<Id, std::function<void()>> entries_;
  Id next_id_ = 1;
};

}  // namespace vgpu::http::detail
