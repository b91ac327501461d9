#pragma once
// What SQLite and PostgreSQL share: migrate, load and commit, written against sql::Session. An
// engine supplies transactions (how to begin, commit, retry and report failures) and ping().
#include <functional>

#include "service/store/database.hpp"
#include "service/store/sql_session.hpp"

namespace vgpu::store {

class SqlDatabase : public Database {
 public:
  explicit SqlDatabase(CatalogPtr catalog);

  SchemaVersion schema_version() override;
  void migrate() override;
  using Database::load;
  scheduler::State load(TxSnapshot* at) override;
  std::uint64_t commit(scheduler::ChangeSet& changes, std::int64_t now) override;
  const scheduler::vgpu::Catalog& catalog() const override { return *catalog_; }

 protected:
  enum class TxMode {
    kRead,   // a consistent snapshot, no writes
    kWrite,  // takes write locks; commit() and migrations
  };
  // What the engine learnt about the transaction besides what `body` did.
  struct TxInfo {
    std::uint64_t xid = 0;  // kWrite on PostgreSQL: the transaction's id
    TxSnapshot snapshot;    // kRead on PostgreSQL: the snapshot the reads saw
  };
  // Runs `body` in one transaction and commits it. If `body` throws, rolls back and rethrows
  // Conflict as is; engine failures come out as Unavailable. May run `body` again after a
  // failure that lost the transaction before its COMMIT was sent, so `body` must only depend on
  // its inputs.
  virtual TxInfo transaction(TxMode mode, const std::function<void(sql::Session&)>& body) = 0;
  virtual const sql::Dialect& dialect() const = 0;

 private:
  CatalogPtr catalog_;
};

}  // namespace vgpu::store
