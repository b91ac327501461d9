#include "service/store/cached_store.hpp"

#include <chrono>

namespace vgpu::store {

CachedStore::CachedStore(std::unique_ptr<Database> db)
    : db_(std::move(db)), current_(std::make_shared<const scheduler::State>(db_->load())) {}

std::shared_ptr<const scheduler::State> CachedStore::snapshot() const {
  std::lock_guard lock(current_mutex_);
  return current_;
}

void CachedStore::commit(scheduler::ChangeSet& changes) {
  if (changes.empty()) return;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  // The database transaction runs outside any lock: concurrent writes on different providers
  // proceed in parallel, and the generation checks in SQL order the ones that collide. Each
  // change sets absolute values that the database has just verified, so applying committed
  // ChangeSets in lock order gives the database's state.
  db_->commit(changes, now);
  std::lock_guard lock(publish_mutex_);
  auto next = std::make_shared<const scheduler::State>(snapshot()->with_changes(changes));
  std::lock_guard swap(current_mutex_);
  current_.swap(next);  // the old snapshot is released below, outside the lock
}

bool CachedStore::ready() {
  try {
    const auto v = db_->schema_version();
    return db_->ping() && v.current == v.latest;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace vgpu::store
