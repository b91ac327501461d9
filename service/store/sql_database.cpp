#include "service/store/sql_database.hpp"

#include <chrono>

#include "service/store/change_writer.hpp"
#include "service/store/migrator.hpp"
#include "service/store/state_reader.hpp"

namespace vgpu::store {

SqlDatabase::SqlDatabase(CatalogPtr catalog)
    : catalog_(catalog ? std::move(catalog) : shipped_catalog()) {}

SchemaVersion SqlDatabase::schema_version() {
  SchemaVersion v;
  v.latest = dialect().migrations->empty() ? 0 : dialect().migrations->back().version;
  transaction(TxMode::kRead, [&](sql::Session& s) { v.current = applied_version(s); });
  return v;
}

void SqlDatabase::migrate() {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  // One transaction per migration: a failure leaves the database at the last good version.
  for (const Migration& m : *dialect().migrations) {
    transaction(TxMode::kWrite, [&](sql::Session& s) { apply_migration(s, m, now); });
  }
  // Always, not only after a new migration: serve must never start without the standard names,
  // and a newer binary may know more of them.
  transaction(TxMode::kWrite, [&](sql::Session& s) { sync_standard_names(s); });
}

scheduler::State SqlDatabase::load(TxSnapshot* at) {
  scheduler::State state;
  TxInfo info =
      transaction(TxMode::kRead, [&](sql::Session& s) { state = read_state(s, *catalog_); });
  if (at) *at = std::move(info.snapshot);
  return state;
}

std::uint64_t SqlDatabase::commit(scheduler::ChangeSet& changes, std::int64_t now) {
  if (changes.empty()) return 0;
  return transaction(TxMode::kWrite,
                     [&](sql::Session& s) { write_changes(s, changes, now, *catalog_); })
      .xid;
}

}  // namespace vgpu::store
