#pragma once
// The little that the shared store logic (migrations, load, commit) needs from a SQL engine:
// run a statement with bound parameters inside the current transaction, read rows, and learn why
// a statement failed. SqliteSession and PgConnection implement it; the engines differ only in
// the few statements listed in Dialect.
//
// SQL text is written once with PostgreSQL's $1, $2 placeholders; the SQLite session reads them
// as ?1, ?2. Values are always bound, never spliced into the text.
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "service/store/migrations.hpp"

namespace vgpu::store::sql {

using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
// The bound values of one statement: a braced list at the call site, or a vector built for a
// statement whose length varies (multi-row inserts). A view: the values must outlive the call.
class Params {
 public:
  Params() = default;
  Params(std::initializer_list<Value> values) : data_(values.begin()), size_(values.size()) {}
  Params(const std::vector<Value>& values) : data_(values.data()), size_(values.size()) {}
  const Value* begin() const { return data_; }
  const Value* end() const { return data_ + size_; }
  std::size_t size() const { return size_; }

 private:
  const Value* data_ = nullptr;
  std::size_t size_ = 0;
};

// One result row; columns are numbered from 0.
class Row {
 public:
  virtual ~Row() = default;
  virtual bool is_null(int column) const = 0;
  virtual std::int64_t integer(int column) const = 0;
  virtual double real(int column) const = 0;
  virtual std::string text(int column) const = 0;
};

// A failed statement, classified so that callers can map it to Conflict or Unavailable.
struct Error : std::runtime_error {
  enum Kind {
    kUnique,      // unique or primary key violation
    kForeignKey,  // foreign key violation (restricting delete, or missing referenced row)
    kRetry,       // deadlock or serialization failure: the whole transaction may be re-run
    kConnection,  // the connection is broken; the transaction is lost
    kOther,
  };
  Error(Kind k, std::string constraint_name, const std::string& what)
      : std::runtime_error(what), kind(k), constraint(std::move(constraint_name)) {}
  Kind kind;
  // The violated constraint when the engine says so (PostgreSQL), else the engine's message
  // (SQLite: "UNIQUE constraint failed: resource_providers.uuid"). Callers only search it for
  // a column name.
  std::string constraint;
};

// The statements that differ between engines.
struct Dialect {
  std::string_view name;  // "sqlite" or "postgresql"
  const std::vector<Migration>* migrations;
  // Takes a lock held until the transaction ends, so that concurrent migrate() calls run one
  // after the other ("" if the engine already serialises writers).
  std::string_view migration_lock;
  // One row, one column: 1 if the schema_migrations table exists, else 0.
  std::string_view migrations_table_exists;
  // Inserts a custom resource class named $1 with an id >= 10000; RETURNING id.
  std::string_view insert_custom_class;
  // Whether INSERT/UPDATE/DELETE may appear inside WITH (PostgreSQL), which lets one statement,
  // one round trip, write a consumer and its allocations.
  bool writable_ctes = false;
};

class Session {
 public:
  virtual ~Session() = default;
  virtual const Dialect& dialect() const = 0;
  // Several ;-separated statements without parameters (migration scripts).
  virtual void script(std::string_view sql) = 0;
  // One statement; returns the number of rows it inserted, updated or deleted.
  virtual std::int64_t exec(std::string_view sql, Params params = {}) = 0;
  // One statement; calls on_row for each result row.
  virtual void query(std::string_view sql, Params params,
                     const std::function<void(const Row&)>& on_row) = 0;
};

}  // namespace vgpu::store::sql
