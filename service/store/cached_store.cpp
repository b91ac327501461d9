#include "service/store/cached_store.hpp"

#include <algorithm>
#include <chrono>

namespace vgpu::store {
namespace {

// A failed reload (database unreachable) is tried again after this long.
constexpr auto kReloadRetry = std::chrono::milliseconds(200);

}  // namespace

CachedStore::CachedStore(std::unique_ptr<Database> db) : db_(std::move(db)) {
  // Listening before loading: a commit by another instance after the LISTEN is either in the
  // load or notified after it (then reloaded), never missed.
  feed_ = db_->watch([this](bool other_instance) {
    if (other_instance) {
      std::lock_guard lock(reload_mutex_);
      foreign_seen_ = true;
    }
    request_reload();
  });
  current_ = std::make_shared<const scheduler::State>(db_->load(&current_at_));
  if (feed_) reloader_ = std::thread([this] { reloader(); });
  compactor_ = std::thread([this] { compactor(); });
}

CachedStore::~CachedStore() {
  {
    std::lock_guard lock(compact_mutex_);
    compactor_stopping_ = true;
  }
  compact_wanted_.notify_all();
  if (compactor_.joinable()) compactor_.join();
  feed_.reset();  // no more requests
  {
    std::lock_guard lock(reload_mutex_);
    stopping_ = true;
  }
  reload_wanted_.notify_all();
  reload_done_.notify_all();
  if (reloader_.joinable()) reloader_.join();
}

std::shared_ptr<const scheduler::State> CachedStore::snapshot() const {
  std::lock_guard lock(current_mutex_);
  return current_;
}

void CachedStore::publish(std::shared_ptr<const scheduler::State> next) {
  std::lock_guard swap(current_mutex_);
  current_.swap(next);  // the old snapshot is released by `next`, outside the lock
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
  std::uint64_t xid = 0;
  try {
    xid = db_->commit(changes, now);
  } catch (const Conflict& c) {
    // Our snapshot may be behind another instance's commit that the feed has not delivered
    // yet: catch up before the caller retries. Within one instance the winner publishes its
    // own snapshot, so a single instance never pays for a reload here.
    bool shared = false;
    {
      std::lock_guard lock(reload_mutex_);
      shared = feed_ && foreign_seen_;
    }
    if (shared && (c.kind == ConflictKind::kGeneration || c.kind == ConflictKind::kLicence ||
                   c.kind == ConflictKind::kDuplicateUuid)) {
      refresh();
    }
    throw;
  }
  {
    std::lock_guard lock(publish_mutex_);
    if (reloading_) committed_while_reloading_.emplace_back(xid, changes);
    if (current_at_.sees(xid)) return;  // a reload published after the commit already holds it
    if (compacting_) committed_while_compacting_.push_back(changes);
    publish(std::make_shared<const scheduler::State>(snapshot()->with_changes(changes)));
  }
  bool wake = false;
  {
    std::lock_guard lock(compact_mutex_);
    wake = ++writes_since_compaction_ >= kCompactAfterWrites;
    last_write_ = std::chrono::steady_clock::now();
  }
  if (wake) compact_wanted_.notify_one();
}

void CachedStore::compactor() {
  std::unique_lock lock(compact_mutex_);
  for (;;) {
    // The threshold grows with the state: a rebuild costs about as much as that many writes.
    // Also when writes have paused after a burst that changed a good part of the state (a
    // fleet loaded, a wave of claims): the rebuild then costs nothing to anyone.
    auto due = [&] {
      const auto s = snapshot();
      const std::uint64_t size = s->provider_count() + s->consumer_count();
      if (writes_since_compaction_ >= std::max<std::uint64_t>(kCompactAfterWrites, size))
        return true;
      return writes_since_compaction_ >= std::max<std::uint64_t>(kCompactIdleWrites, size / 20) &&
             std::chrono::steady_clock::now() - last_write_ >= kCompactIdleAfter;
    };
    // Woken by a commit past the size threshold, else every kCompactIdleAfter to look for a pause.
    compact_wanted_.wait_for(lock, kCompactIdleAfter, [&] { return compactor_stopping_ || due(); });
    if (compactor_stopping_) return;
    if (!due()) continue;
    lock.unlock();
    try {
      compact();
    } catch (const std::exception&) {
      // Out of memory for the second copy: keep serving the snapshot as it is.
    }
    lock.lock();
  }
}

bool CachedStore::compact() {
  std::shared_ptr<const scheduler::State> base;
  std::uint64_t reloads_before = 0;
  {
    std::lock_guard lock(publish_mutex_);
    compacting_ = true;
    committed_while_compacting_.clear();
    reloads_before = publishes_by_reload_;
    base = snapshot();
  }
  {
    std::lock_guard lock(compact_mutex_);
    writes_since_compaction_ = 0;
  }
  std::shared_ptr<const scheduler::State> rebuilt;
  try {
    rebuilt = std::make_shared<const scheduler::State>(base->compacted());
  } catch (...) {
    std::lock_guard lock(publish_mutex_);
    compacting_ = false;
    committed_while_compacting_.clear();
    throw;
  }
  base.reset();
  std::lock_guard lock(publish_mutex_);
  compacting_ = false;
  std::vector<scheduler::ChangeSet> meanwhile = std::move(committed_while_compacting_);
  committed_while_compacting_.clear();
  if (publishes_by_reload_ != reloads_before) return false;
  // The commits published since `base`, in the order they were published: the same ChangeSets
  // that made the current snapshot from `base`.
  for (const scheduler::ChangeSet& changes : meanwhile)
    rebuilt = std::make_shared<const scheduler::State>(rebuilt->with_changes(changes));
  publish(std::move(rebuilt));
  std::lock_guard count(compact_mutex_);
  ++compactions_;
  return true;
}

std::uint64_t CachedStore::compactions() const {
  std::lock_guard lock(compact_mutex_);
  return compactions_;
}

bool CachedStore::ready() {
  try {
    const auto v = db_->schema_version();
    return db_->ping() && v.current == v.latest;
  } catch (const std::exception&) {
    return false;
  }
}

std::uint64_t CachedStore::request_reload() {
  std::uint64_t ticket = 0;
  {
    std::lock_guard lock(reload_mutex_);
    ticket = ++requested_;
  }
  reload_wanted_.notify_one();
  return ticket;
}

bool CachedStore::refresh(std::chrono::milliseconds timeout) {
  if (!feed_) return false;
  const std::uint64_t ticket = request_reload();
  std::unique_lock lock(reload_mutex_);
  return reload_done_.wait_for(lock, timeout, [&] { return finished_ >= ticket || stopping_; }) &&
         !stopping_;
}

std::uint64_t CachedStore::reloads() const {
  std::lock_guard lock(reload_mutex_);
  return reloads_;
}

void CachedStore::reloader() {
  std::unique_lock lock(reload_mutex_);
  for (;;) {
    reload_wanted_.wait(lock, [&] { return stopping_ || requested_ > started_; });
    if (stopping_) return;
    // Every request made so far is served by this reload: they coalesce.
    started_ = requested_;
    lock.unlock();
    bool ok = true;
    try {
      reload();
    } catch (const std::exception&) {
      ok = false;  // the database is away; the snapshot stays as it was
    }
    lock.lock();
    finished_ = started_;  // waiters are released either way (best effort)
    if (ok) ++reloads_;
    reload_done_.notify_all();
    if (!ok && !stopping_) {
      reload_wanted_.wait_for(lock, kReloadRetry, [&] { return stopping_; });
      ++requested_;  // try again: a notification was lost otherwise
    }
  }
}

void CachedStore::reload() {
  {
    std::lock_guard lock(publish_mutex_);
    reloading_ = true;
    committed_while_reloading_.clear();
  }
  TxSnapshot at;
  std::shared_ptr<const scheduler::State> loaded;
  try {
    loaded = std::make_shared<const scheduler::State>(db_->load(&at));
  } catch (...) {
    std::lock_guard lock(publish_mutex_);
    reloading_ = false;
    committed_while_reloading_.clear();
    throw;
  }
  std::lock_guard lock(publish_mutex_);
  // Our own commits that the load's snapshot did not see: their ChangeSets again, in the order
  // they were published.
  for (const auto& [xid, changes] : committed_while_reloading_) {
    if (!at.sees(xid)) loaded = std::make_shared<const scheduler::State>(loaded->with_changes(changes));
  }
  reloading_ = false;
  committed_while_reloading_.clear();
  current_at_ = std::move(at);
  ++publishes_by_reload_;
  publish(std::move(loaded));
}

}  // namespace vgpu::store
