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
//
// Compaction: a snapshot grown by many writes has its objects scattered over the heap (each
// write allocates the providers and index shards it changes), and the search runs two to three
// times slower on it than on a freshly loaded one. After as many writes as the state has
// providers and consumers (at least kCompactAfterWrites), or once writes pause after a burst,
// a compactor thread rebuilds the snapshot (State::compacted, no database work), applies the
// commits published meanwhile on top and publishes it, unless a reload got there first. Costs: one rebuild's CPU (under a second
// at 10,000 hosts) per that many writes, and a second copy of the state while it runs.
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
  // Rebuilds the snapshot now (what the compactor thread does); false when a reload published
  // in the meantime (its snapshot is fresh anyway). For tests and benchmarks.
  bool compact();
  std::uint64_t compactions() const;

  static constexpr std::uint64_t kCompactAfterWrites = 20000;
  // Or sooner, once writes pause for kCompactIdleAfter after at least
  // max(kCompactIdleWrites, 5% of providers + consumers) of them.
  static constexpr std::uint64_t kCompactIdleWrites = 1000;
  static constexpr std::chrono::seconds kCompactIdleAfter{2};

 private:
  std::uint64_t request_reload();
  void reloader();
  void reload();
  void publish(std::shared_ptr<const scheduler::State> next);
  void compactor();

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
  std::uint64_t publishes_by_reload_ = 0;  // reloads published (a compaction under way yields)
  bool compacting_ = false;
  std::vector<scheduler::ChangeSet> committed_while_compacting_;

  // The compactor: woken by commits once enough writes have piled up.
  mutable std::mutex compact_mutex_;
  std::condition_variable compact_wanted_;
  std::uint64_t writes_since_compaction_ = 0;
  std::chrono::steady_clock::time_point last_write_;
  std::uint64_t compactions_ = 0;
  bool compactor_stopping_ = false;
  std::thread compactor_;

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
