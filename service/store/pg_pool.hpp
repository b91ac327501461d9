#pragma once
// A fixed set of PostgreSQL connections, each lent to one transaction at a time, so that
// concurrent commits on different providers run in parallel (the database's row locks, not a
// lock of ours, order the ones that collide).
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "service/store/pg_connection.hpp"

namespace vgpu::store {

class PgPool {
 public:
  PgPool(const std::string& conninfo, std::size_t size);

  // Gives the connection back to the pool when it goes out of scope.
  class Lease {
   public:
    Lease(PgPool& pool, PgConnection& c) : pool_(&pool), c_(&c) {}
    Lease(Lease&& o) noexcept : pool_(o.pool_), c_(o.c_) { o.pool_ = nullptr; }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      if (pool_) pool_->give_back(*c_);
    }
    PgConnection& operator*() const { return *c_; }
    PgConnection* operator->() const { return c_; }

   private:
    PgPool* pool_;
    PgConnection* c_;
  };

  // Waits until a connection is free. It may not be connected yet (ensure_connected()).
  Lease acquire();

 private:
  void give_back(PgConnection& c);

  std::vector<std::unique_ptr<PgConnection>> all_;
  std::vector<PgConnection*> idle_;
  std::mutex mutex_;
  std::condition_variable freed_;
};

}  // namespace vgpu::store
