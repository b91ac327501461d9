#include "service/store/pg_connection.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <cstring>

#include "service/store/database.hpp"

namespace vgpu::store {
namespace {

// Several instances may migrate at once; the advisory lock (held to the end of the transaction)
// makes them take turns. The key is arbitrary but fixed: "vgpu" in ASCII.
const sql::Dialect kPostgres{
    .name = "postgresql",
    .migrations = &postgresql_migrations(),
    .migration_lock = "SELECT pg_advisory_xact_lock(1986491509)",
    .migrations_table_exists = "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL "
                               "THEN 0 ELSE 1 END",
    .insert_custom_class = "INSERT INTO resource_classes (id, name) "
                           "VALUES (nextval('resource_classes_custom_id_seq'), $1) RETURNING id",
    .writable_ctes = true,
};

class PgRow final : public sql::Row {
 public:
  PgRow(const PGresult* r, int row) : r_(r), row_(row) {}
  bool is_null(int c) const override { return PQgetisnull(r_, row_, c) != 0; }
  std::int64_t integer(int c) const override {
    return std::strtoll(PQgetvalue(r_, row_, c), nullptr, 10);
  }
  double real(int c) const override { return std::strtod(PQgetvalue(r_, row_, c), nullptr); }
  std::string text(int c) const override {
    return std::string(PQgetvalue(r_, row_, c), static_cast<std::size_t>(PQgetlength(r_, row_, c)));
  }

 private:
  const PGresult* r_;
  int row_;
};

// Parameters travel in text format; to_chars gives the shortest text that reads back as the
// same double.
std::string to_text(const sql::Value& v) {
  char buf[64];
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, *i).ptr);
  }
  if (const auto* d = std::get_if<double>(&v)) {
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, *d).ptr);
  }
  return std::get<std::string>(v);
}

bool starts_with(const char* s, const char* prefix) {
  return s && std::strncmp(s, prefix, std::strlen(prefix)) == 0;
}

}  // namespace

void PgConnection::ResultDeleter::operator()(pg_result* r) const { PQclear(r); }

PgConnection::PgConnection(std::string conninfo) : conninfo_(std::move(conninfo)) {}

PgConnection::~PgConnection() { PQfinish(conn_); }

const sql::Dialect& postgres_dialect() { return kPostgres; }

const sql::Dialect& PgConnection::dialect() const { return kPostgres; }

void PgConnection::ensure_connected() {
  if (conn_ && !broken_ && PQstatus(conn_) == CONNECTION_OK) return;
  reconnect();
}

void PgConnection::reconnect() {
  prepared_.clear();  // prepared statements belong to the old server session
  broken_ = false;
  PQfinish(conn_);
  // Our defaults come first so that the URL's own settings override them.
  const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {"5", "vgpu-placement", conninfo_.c_str(), nullptr};
  conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    // libpq's message names host and port, never the password.
    const std::string why = conn_ ? PQerrorMessage(conn_) : "out of memory";
    PQfinish(conn_);
    conn_ = nullptr;
    throw Unavailable("cannot connect to PostgreSQL: " + why);
  }
  // NOTICEs (e.g. "relation already exists, skipping") are not errors: keep them off stderr.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
}

void PgConnection::rollback_quietly() {
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) return;
  if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return;
  PQclear(PQexec(conn_, "ROLLBACK"));
}

void PgConnection::fail(const PGresult* r, std::string_view context) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const char* constraint = r ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : nullptr;
  std::string message = r ? PQresultErrorMessage(r) : "";
  if (message.empty()) message = PQerrorMessage(conn_);
  while (!message.empty() && message.back() == '\n') message.pop_back();

  sql::Error::Kind kind = sql::Error::kOther;
  // Connection class (08), the server shutting down or terminating us (57P0x), or no SQLSTATE
  // at all (a client-side failure to talk to the server).
  if (PQstatus(conn_) != CONNECTION_OK || !state || starts_with(state, "08") ||
      starts_with(state, "57P0")) {
    kind = sql::Error::kConnection;
    broken_ = true;
  } else if (std::strcmp(state, "23505") == 0) {
    kind = sql::Error::kUnique;
  } else if (std::strcmp(state, "23503") == 0) {
    kind = sql::Error::kForeignKey;
  } else if (std::strcmp(state, "40001") == 0 || std::strcmp(state, "40P01") == 0) {
    kind = sql::Error::kRetry;  // serialization failure, deadlock
  }
  throw sql::Error(kind, constraint ? constraint : "",
                   "PostgreSQL: " + message + " (in: " + std::string(context.substr(0, 80)) + ")");
}

void PgConnection::script(std::string_view sql) {
  const std::string text(sql);
  Result r(PQexec(conn_, text.c_str()));
  const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r.get(), sql);
}

std::string PgConnection::script_value(std::string_view sql) {
  const std::string text(sql);
  // With several statements PQexec returns the last one's result, or the first failure.
  Result r(PQexec(conn_, text.c_str()));
  const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r.get(), sql);
  if (status != PGRES_TUPLES_OK || PQntuples(r.get()) == 0) return {};
  return std::string(PQgetvalue(r.get(), 0, 0), static_cast<std::size_t>(PQgetlength(r.get(), 0, 0)));
}

const std::string& PgConnection::prepared_name(std::string_view sql) {
  const std::string key(sql);
  auto it = prepared_.find(key);
  if (it != prepared_.end()) return it->second;
  std::string name = "vgpu_" + std::to_string(prepared_.size());
  // Parameter types are left to the server, which infers them from the statement.
  Result r(PQprepare(conn_, name.c_str(), key.c_str(), 0, nullptr));
  if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail(r.get(), sql);
  return prepared_.emplace(key, std::move(name)).first->second;
}

PgConnection::Result PgConnection::run(std::string_view sql, sql::Params params) {
  const std::string& name = prepared_name(sql);
  std::vector<std::string> texts;
  std::vector<const char*> values;
  texts.reserve(params.size());
  for (const sql::Value& v : params) {
    const bool null = std::holds_alternative<std::nullptr_t>(v);
    texts.push_back(null ? std::string() : to_text(v));
    values.push_back(null ? nullptr : texts.back().c_str());
  }
  Result r(PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(),
                          nullptr, nullptr, /*text results*/ 0));
  const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r.get(), sql);
  return r;
}

std::int64_t PgConnection::exec(std::string_view sql, sql::Params params) {
  Result r = run(sql, params);
  // PQcmdTuples is "" for statements that do not count rows.
  return std::strtoll(PQcmdTuples(r.get()), nullptr, 10);
}

void PgConnection::query(std::string_view sql, sql::Params params,
                         const std::function<void(const sql::Row&)>& on_row) {
  Result r = run(sql, params);
  const int rows = PQntuples(r.get());
  for (int i = 0; i < rows; ++i) on_row(PgRow(r.get(), i));
}

}  // namespace vgpu::store
