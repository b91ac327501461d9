#include "service/store/migrator.hpp"

#include <string>
#include <unordered_set>

#include "scheduler/names/standard_names.hpp"

namespace vgpu::store {
namespace {

// The migrator's own bookkeeping, created by the first migration transaction. Plain SQL that
// both engines accept.
constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER NOT NULL PRIMARY KEY,"
    " name VARCHAR(255) NOT NULL,"
    " applied_at BIGINT NOT NULL)";

}  // namespace

std::optional<std::int64_t> query_integer(sql::Session& s, std::string_view sql,
                                          sql::Params params) {
  std::optional<std::int64_t> out;
  s.query(sql, params, [&](const sql::Row& row) {
    if (!out && !row.is_null(0)) out = row.integer(0);
  });
  return out;
}

int applied_version(sql::Session& s) {
  if (query_integer(s, s.dialect().migrations_table_exists).value_or(0) == 0) return 0;
  return static_cast<int>(
      query_integer(s, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").value_or(0));
}

void apply_migration(sql::Session& s, const Migration& m, std::int64_t now) {
  if (!s.dialect().migration_lock.empty()) s.script(s.dialect().migration_lock);
  s.script(kCreateMigrationsTable);
  // Checked under the lock: another instance may have applied it while we waited.
  if (applied_version(s) >= m.version) return;
  s.script(m.sql);
  s.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
         {std::int64_t{m.version}, std::string(m.name), now});
}

void sync_standard_names(sql::Session& s) {
  if (!s.dialect().migration_lock.empty()) s.script(s.dialect().migration_lock);
  // Resource class ids are list positions, as upstream Placement; the upsert also repairs a
  // name if a row holds another one.
  const auto& classes = scheduler::standard_resource_classes();
  for (std::size_t id = 0; id < classes.size(); ++id) {
    s.exec("INSERT INTO resource_classes (id, name) VALUES ($1, $2) "
           "ON CONFLICT (id) DO UPDATE SET name = excluded.name "
           "WHERE resource_classes.name <> excluded.name",
           {static_cast<std::int64_t>(id), std::string(classes[id])});
  }
  // Traits: read what is there and insert only the missing ones (one round trip, not 345).
  std::unordered_set<std::string> present;
  s.query("SELECT name FROM traits", {}, [&](const sql::Row& row) { present.insert(row.text(0)); });
  for (std::string_view name : scheduler::standard_traits()) {
    if (present.count(std::string(name))) continue;
    s.exec("INSERT INTO traits (name) VALUES ($1) ON CONFLICT (name) DO NOTHING",
           {std::string(name)});
  }
}

}  // namespace vgpu::store
