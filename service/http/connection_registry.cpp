#include "service/http/connection_registry.hpp"

#include <vector>

namespace vgpu::http::detail {

ConnectionRegistry::Id ConnectionRegistry::add(std::function<void()> stop_if_idle) {
  std::lock_guard lock(mutex_);
  const Id id = next_id_++;
  entries_.emplace(id, std::move(stop_if_idle));
  return id;
}

void ConnectionRegistry::remove(Id id) {
  std::lock_guard lock(mutex_);
  entries_.erase(id);
  if (entries_.empty()) empty_.notify_all();
}

void ConnectionRegistry::stop_idle() {
  // Called outside the lock: a callback may drop the last reference to its connection, whose
  // destructor then remove()s itself.
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, stop_if_idle] : entries_) callbacks.push_back(stop_if_idle);
  }
  for (const auto& stop_if_idle : callbacks) stop_if_idle();
}

bool ConnectionRegistry::wait_empty_until(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return empty_.wait_until(lock, deadline, [this] { return entries_.empty(); });
}

std::size_t ConnectionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace vgpu::http::detail
