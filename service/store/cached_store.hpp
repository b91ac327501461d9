#pragma once
// The Store the service runs: a Database for durability plus the in-memory snapshot, swapped
// atomically after each committed write.
#include <memory>
#include <mutex>

#include "service/store/database.hpp"
#include "service/store/store.hpp"

namespace vgpu::store {

class CachedStore final : public Store {
 public:
  // Loads the state from the database.
  explicit CachedStore(std::unique_ptr<Database> db);

  std::shared_ptr<const scheduler::State> snapshot() const override;
  void commit(scheduler::ChangeSet& changes) override;
  bool ready() override;
  Database& database() { return *db_; }

 private:
  std::unique_ptr<Database> db_;
  // The published snapshot. A plain mutex guards the pointer copy (nanoseconds); simpler to
  // reason about than std::atomic<std::shared_ptr>, whose libstdc++ 12 implementation is young.
  mutable std::mutex current_mutex_;
  std::shared_ptr<const scheduler::State> current_;
  std::mutex publish_mutex_;  // orders the (short) in-memory apply, not the database work
};

}  // namespace vgpu::store
