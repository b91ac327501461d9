#pragma once
// The database behind the in-memory state: SQLite (embedded default) or PostgreSQL. It is the
// source of truth. A Database loads the whole state once at start-up and commits each write as
// one transaction in which every provider generation is checked in SQL.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "scheduler/model/change_set.hpp"
#include "scheduler/model/state.hpp"

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
  virtual scheduler::State load() = 0;
  // Writes the ChangeSet in one transaction, filling in the ids of created entities.
  // Throws Conflict (nothing written) or Unavailable. `now` is unix seconds for timestamps.
  virtual void commit(scheduler::ChangeSet& changes, std::int64_t now) = 0;
  // A cheap round trip, for /readyz.
  virtual bool ping() = 0;
};

// Opens "sqlite:///abs/path.db", "sqlite://:memory:" or "postgresql://user:pass@host:port/db".
// Throws std::invalid_argument for an unknown or malformed URL, Unavailable when it cannot connect.
std::unique_ptr<Database> open_database(const std::string& url);

}  // namespace vgpu::store
