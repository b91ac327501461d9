#pragma once
// The Store the service runs: a Database for durability plus the in-memory snapshot, swapped
// atomically after each committed write.
//
// Several instances on one PostgreSQL database: the database's change feed (Database::watch)
// tells when another instance committed; a reloader thread then reads the whole state again and
// publishes it. Reloads coalesce (at most one running, one pending, however many notifications
// arrive). Commits of this instance go on while a reload runs: those the reload's snapshot did
// not see (TxSnapshot::sees of their transaction id) are applied again on top of it, so none is
// lost or applied twice.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "service/store/database.hpp"
#include "service/store/store.hpp"

namespace vgpu::store {

class CachedStore final : public Store {
 public:
  // Starts watching the database for other instances' commits, then loads the state.
  explicit CachedStore(std::unique_ptr<Database> db);
  ~CachedStore() override;  // stops the feed and the reloader
  CachedStore(const CachedStore&) = delete;
  CachedStore& operator=(const CachedStore&) = delete;

  std::shared_ptr<const scheduler::State> snapshot() const override;
  // A generation, licence or duplicate-consumer conflict on a database that other instances
  // write to (one of them has been heard from) first reloads the snapshot, so that a retry
  // works on what the other instance committed; then the Conflict is rethrown.
  void commit(scheduler::ChangeSet& changes) override;
  bool ready() override;
  Database& database() { return *db_; }

  // Reloads the snapshot from the database and waits (up to `timeout`) until it is published.
  // Returns false on timeout or without a shared database (SQLite: the snapshot is always
  // current).
  bool refresh(std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));
  // Reloads published so far (for tests and metrics).
  std::uint64_t reloads() const;

 private:
  std::uint64_t request_reload();
  void reloader();
  void reload();
  void publish(std::shared_ptr<const scheduler::State> next);

  std::unique_ptr<Database> db_;
  // The published snapshot. A plain mutex guards the pointer copy (nanoseconds); simpler to
  // reason about than std::atomic<std::shared_ptr>, whose libstdc++ 12 implementation is young.
  mutable std::mutex current_mutex_;
  std::shared_ptr<const scheduler::State> current_;
  // Orders the (short) in-memory apply, not the database work; guards the members below it.
  std::mutex publish_mutex_;
  TxSnapshot current_at_;  // the commits the last reload saw (nothing before any reload)
  bool reloading_ = false;
  std::vector<std::pair<std::uint64_t, scheduler::ChangeSet>> committed_while_reloading_;

  // Reload requests as tickets: request n is served by the first reload that starts after it.
  mutable std::mutex reload_mutex_;
  std::condition_variable reload_wanted_;
  std::condition_variable reload_done_;
  std::uint64_t requested_ = 0;
  std::uint64_t started_ = 0;
  std::uint64_t finished_ = 0;
  std::uint64_t reloads_ = 0;
  bool stopping_ = false;
  bool foreign_seen_ = false;  // another instance has committed since we started

  std::thread reloader_;
  std::unique_ptr<ChangeFeed> feed_;
};

}  // namespace vgpu::store
