#pragma once
// One SQLite connection as a sql::Session, with its prepared statements kept for reuse. Not
// thread-safe: SqliteDatabase guards it with a mutex.
#include <memory>
#include <string>
#include <unordered_map>

#include "service/store/sql_session.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace vgpu::store {

class SqliteSession final : public sql::Session {
 public:
  // Opens (creating if needed) `path`, or an in-memory database for ":memory:". Enables foreign
  // keys, WAL and a busy timeout. Throws Unavailable.
  explicit SqliteSession(const std::string& path);
  ~SqliteSession() override;
  SqliteSession(const SqliteSession&) = delete;
  SqliteSession& operator=(const SqliteSession&) = delete;

  const sql::Dialect& dialect() const override;
  void script(std::string_view sql) override;
  std::int64_t exec(std::string_view sql, sql::Params params) override;
  void query(std::string_view sql, sql::Params params,
             const std::function<void(const sql::Row&)>& on_row) override;

  bool in_transaction() const;

 private:
  struct StatementDeleter {
    void operator()(sqlite3_stmt* s) const;
  };
  using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

  sqlite3_stmt* prepare(std::string_view sql, sql::Params params);
  // Steps once; returns true if a row is available, false when done. Throws sql::Error.
  bool step(sqlite3_stmt* stmt);
  [[noreturn]] void fail(int rc, std::string_view context) const;

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, Statement> statements_;  // keyed by the $N-style text
};

}  // namespace vgpu::store
