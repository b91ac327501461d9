#include "service/store/pg_pool.hpp"

namespace vgpu::store {

PgPool::PgPool(const std::string& conninfo, std::size_t size) {
  for (std::size_t i = 0; i < std::max<std::size_t>(size, 1); ++i) {
    all_.push_back(std::make_unique<PgConnection>(conninfo));
    idle_.push_back(all_.back().get());
  }
}

PgPool::Lease PgPool::acquire() {
  std::unique_lock lock(mutex_);
  freed_.wait(lock, [&] { return !idle_.empty(); });
  PgConnection* c = idle_.back();
  idle_.pop_back();
  return Lease(*this, *c);
}

void PgPool::give_back(PgConnection& c) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(&c);
  }
  freed_.notify_one();
}

}  // namespace vgpu::store
