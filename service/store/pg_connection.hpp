#pragma once
// One libpq connection as a sql::Session. Statements are prepared on first use and kept by name
// for the life of the server session; a reconnect forgets them. Not thread-safe: PgPool hands a
// connection to one transaction at a time.
#include <memory>
#include <string>
#include <unordered_map>

#include "service/store/sql_session.hpp"

struct pg_conn;
struct pg_result;

namespace vgpu::store {

const sql::Dialect& postgres_dialect();

class PgConnection final : public sql::Session {
 public:
  // Does not connect yet: ensure_connected() does, on first use.
  explicit PgConnection(std::string conninfo);
  ~PgConnection() override;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Connects, or reconnects if the connection is known to be broken. Throws Unavailable.
  void ensure_connected();
  // Drops the server session and opens a new one (after a connection error). Throws Unavailable.
  void reconnect();
  // Ends an open or failed transaction, ignoring errors: used on the way out of a failure.
  void rollback_quietly();

  const sql::Dialect& dialect() const override;
  void script(std::string_view sql) override;
  // A script whose last statement returns one value (e.g. "BEGIN; SELECT pg_current_xact_id()"):
  // several statements, one round trip. Returns that value as text ("" if no row).
  std::string script_value(std::string_view sql);
  std::int64_t exec(std::string_view sql, sql::Params params) override;
  void query(std::string_view sql, sql::Params params,
             const std::function<void(const sql::Row&)>& on_row) override;

 private:
  struct ResultDeleter {
    void operator()(pg_result* r) const;
  };
  using Result = std::unique_ptr<pg_result, ResultDeleter>;

  Result run(std::string_view sql, sql::Params params);
  const std::string& prepared_name(std::string_view sql);
  [[noreturn]] void fail(const pg_result* r, std::string_view context);

  std::string conninfo_;
  pg_conn* conn_ = nullptr;
  // Set by a connection-class error: libpq may still say CONNECTION_OK for a session the server
  // has ended, and the next ensure_connected() must not trust it.
  bool broken_ = false;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

}  // namespace vgpu::store
