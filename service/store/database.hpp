#pragma once
// The database behind the in-memory state: SQLite (embedded default) or PostgreSQL. It is the
// source of truth. A Database loads the whole state once at start-up and commits each write as
// one transaction in which every provider generation is checked in SQL.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "scheduler/model/change_set.hpp"
#include "scheduler/model/state.hpp"
#include "scheduler/vgpu/catalog.hpp"

namespace vgpu::store {

// Why the database refused a ChangeSet. Nothing of the ChangeSet was written.
enum class ConflictKind {
  kGeneration,     // an UpdateProvider/DeleteProvider found another generation (or no row)
  kDuplicateName,  // a provider, class or trait name is taken
  kDuplicateUuid,  // a provider uuid is taken
  kInUse,          // a row still referenced: class with inventory, trait on a provider,
                   // provider with children or allocations
  kMissing,        // a referenced row is gone (parent provider, class, trait)
  kLicence,        // a SeatChange would take a licence pool past its total minus reserve
};

struct Conflict : std::runtime_error {
  Conflict(ConflictKind k, std::size_t index, const std::string& what)
      : std::runtime_error(what), kind(k), change_index(index) {}
  ConflictKind kind;
  std::size_t change_index;  // which entry of ChangeSet::changes failed
};

// The database cannot be reached or failed in a way that is not the request's fault.
struct Unavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SchemaVersion {
  int current = 0;  // highest migration applied (0: empty database)
  int latest = 0;   // highest migration this binary knows
};

// The vGPU catalog the database maps profile and board names through: the store keeps NAMES
// (the catalog is operator data and may change between runs), the State keeps indices into the
// running catalog.
using CatalogPtr = std::shared_ptr<const scheduler::vgpu::Catalog>;
// The catalog shipped in the binary (an empty one if it failed to parse, which a unit test
// rules out): the default for callers that configure none.
CatalogPtr shipped_catalog();

// Where a load sits in the database's history, to tell whether a commit (by its transaction id)
// is already in the loaded state: PostgreSQL's snapshot (xmin:xmax:in-progress list). An
// instance that reloads while it also commits needs it; default-constructed it sees nothing
// (engines with one writing process never reload).
struct TxSnapshot {
  std::uint64_t xmin = 0;
  std::uint64_t xmax = 0;
  std::vector<std::uint64_t> in_progress;  // sorted

  // pg_visible_in_snapshot(xid, snapshot) for a committed xid; 0 (no id) is never seen.
  bool sees(std::uint64_t xid) const {
    if (xid == 0 || xmax == 0) return false;
    if (xid < xmin) return true;
    return xid < xmax && !std::binary_search(in_progress.begin(), in_progress.end(), xid);
  }
  // Parses pg_current_snapshot()::text, "xmin:xmax:xip1,xip2"; nullopt if malformed.
  static std::optional<TxSnapshot> parse(const std::string& text);
};

// Tells an instance that another one committed to the shared database (PostgreSQL LISTEN).
// Stops when destroyed.
class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;
};

class Database {
 public:
  virtual ~Database() = default;

  // e.g. "sqlite:///var/lib/vgpu-placement/placement.db" or
  // "postgresql://placement@127.0.0.1:5432/placement" (never the password).
  virtual std::string description() const = 0;
  virtual SchemaVersion schema_version() = 0;
  // Applies every missing migration, each in its own transaction, then makes sure the standard
  // resource classes and traits exist. Idempotent.
  virtual void migrate() = 0;
  // Reads the whole state. Throws Unavailable.
  scheduler::State load() { return load(nullptr); }
  // The same, and where in the database's history it was read (`at` may be null).
  virtual scheduler::State load(TxSnapshot* at) = 0;
  // Writes the ChangeSet in one transaction, filling in the ids of created entities.
  // Throws Conflict (nothing written) or Unavailable. `now` is unix seconds for timestamps.
  // Returns the transaction's id where the engine has one that TxSnapshot::sees (PostgreSQL),
  // else 0. On PostgreSQL the commit also notifies the other instances (watch()).
  virtual std::uint64_t commit(scheduler::ChangeSet& changes, std::int64_t now) = 0;
  // A cheap round trip, for /readyz.
  virtual bool ping() = 0;
  // Several instances on one database: calls `on_change` (from a thread of the feed's own) with
  // true when another instance committed, with false when notifications may have been missed
  // (the feed's connection was lost and is back). Listening has started when this returns, so a
  // load() after it misses nothing. nullptr on engines that one process owns (SQLite).
  virtual std::unique_ptr<ChangeFeed> watch(std::function<void(bool other_instance)> on_change) {
    (void)on_change;
    return nullptr;
  }
  // The vGPU catalog names are mapped through.
  virtual const scheduler::vgpu::Catalog& catalog() const = 0;
};

// Opens "sqlite:///abs/path.db", "sqlite://:memory:" or "postgresql://user:pass@host:port/db".
// Throws std::invalid_argument for an unknown or malformed URL, Unavailable when it cannot connect.
// `catalog`: the running vGPU catalog (the service passes the configured one).
std::unique_ptr<Database> open_database(const std::string& url,
                                        CatalogPtr catalog = shipped_catalog());

}  // namespace vgpu::store
