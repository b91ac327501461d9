#include "service/store/sqlite_session.hpp"

#include <sqlite3.h>

#include "service/store/database.hpp"

namespace vgpu::store {
namespace {

// Custom class ids: the next one after the highest, at least 10000. The write transaction
// (BEGIN IMMEDIATE) holds SQLite's single write lock, so no one else can take the same id.
const sql::Dialect kSqlite{
    .name = "sqlite",
    .migrations = &sqlite_migrations(),
    .migration_lock = "",
    .migrations_table_exists =
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
    .insert_custom_class =
        "INSERT INTO resource_classes (id, name) "
        "SELECT MAX(10000, COALESCE(MAX(id), 0) + 1), $1 FROM resource_classes RETURNING id",
};

// The shared SQL uses PostgreSQL's $N placeholders; SQLite spells a numbered one ?N. The texts
// are our own constants (values are always bound), so a plain character swap is enough.
std::string to_sqlite_placeholders(std::string_view sql) {
  std::string out(sql);
  for (std::size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] == '$' && out[i + 1] >= '0' && out[i + 1] <= '9') out[i] = '?';
  }
  return out;
}

class SqliteRow final : public sql::Row {
 public:
  explicit SqliteRow(sqlite3_stmt* s) : s_(s) {}
  bool is_null(int c) const override { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
  std::int64_t integer(int c) const override { return sqlite3_column_int64(s_, c); }
  double real(int c) const override { return sqlite3_column_double(s_, c); }
  std::string text(int c) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, c));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, c))) : "";
  }

 private:
  sqlite3_stmt* s_;
};

// Leaves the statement ready for its next use (and releases its locks) however we leave.
struct ResetOnExit {
  sqlite3_stmt* s;
  ~ResetOnExit() {
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
  }
};

}  // namespace

void SqliteSession::StatementDeleter::operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }

SqliteSession::SqliteSession(const std::string& path) {
  const int rc = sqlite3_open_v2(path.c_str(), &db_,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    const std::string why = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw Unavailable("cannot open SQLite database " + path + ": " + why);
  }
  sqlite3_extended_result_codes(db_, 1);
  try {
    // Foreign keys are per connection and off by default. WAL lets readers (other processes,
    // backups) run beside the writer. The busy timeout covers another process holding the
    // write lock for a moment.
    script("PRAGMA foreign_keys = ON");
    script("PRAGMA journal_mode = WAL");
    script("PRAGMA busy_timeout = 5000");
  } catch (const sql::Error& e) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw Unavailable("cannot set up SQLite database " + path + ": " + e.what());
  }
}

SqliteSession::~SqliteSession() {
  statements_.clear();  // statements must be finalized before the connection closes
  sqlite3_close(db_);
}

const sql::Dialect& SqliteSession::dialect() const { return kSqlite; }

bool SqliteSession::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

void SqliteSession::fail(int rc, std::string_view context) const {
  const int code = sqlite3_extended_errcode(db_);
  const std::string message = sqlite3_errmsg(db_);
  sql::Error::Kind kind = sql::Error::kOther;
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    kind = sql::Error::kUnique;
  } else if (code == SQLITE_CONSTRAINT_FOREIGNKEY ||
             // ON DELETE RESTRICT fires as a trigger-like action with this code.
             (code == SQLITE_CONSTRAINT_TRIGGER &&
              message.rfind("FOREIGN KEY constraint failed", 0) == 0)) {
    kind = sql::Error::kForeignKey;
  }
  // SQLite names the columns in the message ("UNIQUE constraint failed: resource_providers.uuid").
  throw sql::Error(kind, message, "SQLite: " + message + " (in: " + std::string(context) + ")");
}

void SqliteSession::script(std::string_view sql) {
  const std::string text(sql);
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);  // the same text is available from sqlite3_errmsg
  if (rc != SQLITE_OK) fail(rc, sql.substr(0, 60));
}

sqlite3_stmt* SqliteSession::prepare(std::string_view sql, sql::Params params) {
  auto it = statements_.find(std::string(sql));
  if (it == statements_.end()) {
    const std::string text = to_sqlite_placeholders(sql);
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    if (rc != SQLITE_OK) fail(rc, sql);
    it = statements_.emplace(std::string(sql), Statement(raw)).first;
  }
  sqlite3_stmt* s = it->second.get();
  int index = 1;
  for (const sql::Value& v : params) {
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::nullptr_t>(v)) {
      rc = sqlite3_bind_null(s, index);
    } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
      rc = sqlite3_bind_int64(s, index, *i);
    } else if (const auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(s, index, *d);
    } else {
      const auto& str = std::get<std::string>(v);
      rc = sqlite3_bind_text(s, index, str.data(), static_cast<int>(str.size()), SQLITE_TRANSIENT);
    }
    if (rc != SQLITE_OK) fail(rc, sql);
    ++index;
  }
  return s;
}

bool SqliteSession::step(sqlite3_stmt* s) {
  const int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(rc, sqlite3_sql(s));
}

std::int64_t SqliteSession::exec(std::string_view sql, sql::Params params) {
  sqlite3_stmt* s = prepare(sql, params);
  ResetOnExit reset{s};
  while (step(s)) {
  }
  return sqlite3_changes64(db_);
}

void SqliteSession::query(std::string_view sql, sql::Params params,
                          const std::function<void(const sql::Row&)>& on_row) {
  sqlite3_stmt* s = prepare(sql, params);
  ResetOnExit reset{s};
  const SqliteRow row(s);
  while (step(s)) on_row(row);
}

}  // namespace vgpu::store
