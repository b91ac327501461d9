#pragma once
// The embedded default: one SQLite file (or memory). One connection behind a mutex: SQLite runs
// one writer at a time anyway, and each transaction is short.
#include <mutex>
#include <string>

#include "service/store/sql_database.hpp"
#include "service/store/sqlite_session.hpp"

namespace vgpu::store {

class SqliteDatabase final : public SqlDatabase {
 public:
  // `path`: a file path (its parent directory is created if missing) or ":memory:".
  // Throws Unavailable.
  SqliteDatabase(const std::string& path, CatalogPtr catalog);

  std::string description() const override;
  bool ping() override;

 protected:
  TxInfo transaction(TxMode mode, const std::function<void(sql::Session&)>& body) override;
  const sql::Dialect& dialect() const override { return session_.dialect(); }

 private:
  std::string path_;
  std::mutex mutex_;
  SqliteSession session_;
};

}  // namespace vgpu::store
