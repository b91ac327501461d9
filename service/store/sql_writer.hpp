#pragma once
// Internal to the change writer (change_writer.cpp, vgpu_writer.cpp): one ChangeSet's writes
// through a SQL session, with constraint violations mapped to Conflicts.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/vgpu/catalog.hpp"
#include "service/store/database.hpp"
#include "service/store/migrator.hpp"
#include "service/store/sql_session.hpp"

namespace vgpu::store {

// Runs one statement of change `index`, turning constraint violations into the Conflict that
// the statement's context means: the same foreign key error is "in use" on a delete and
// "missing" on an insert.
class Writer {
 public:
  Writer(sql::Session& s, std::int64_t now, const scheduler::vgpu::Catalog& catalog)
      : s_(s), now_(now), catalog_(catalog) {}

  void set_index(std::size_t i) { index_ = i; }

  std::int64_t exec(ConflictKind on_fk, std::string_view sql, sql::Params params) {
    try {
      return s_.exec(sql, params);
    } catch (const sql::Error& e) {
      rethrow(e, on_fk);
    }
  }

  std::int64_t insert_returning_id(ConflictKind on_fk, std::string_view sql,
                                   sql::Params params) {
    try {
      auto id = query_integer(s_, sql, params);
      if (!id) throw Unavailable("insert returned no id: " + std::string(sql));
      return *id;
    } catch (const sql::Error& e) {
      rethrow(e, on_fk);
    }
  }

  [[noreturn]] void conflict(ConflictKind kind, const std::string& what) const {
    throw Conflict(kind, index_, what);
  }

  sql::Session& session() { return s_; }
  std::int64_t now() const { return now_; }
  std::size_t index() const { return index_; }
  const scheduler::vgpu::Catalog& catalog() const { return catalog_; }

  [[noreturn]] void rethrow(const sql::Error& e, ConflictKind on_fk) const {
    if (e.kind == sql::Error::kUnique) {
      // Only provider uuids and names are unique besides class/trait names.
      const bool uuid = e.constraint.find("uuid") != std::string::npos;
      conflict(uuid ? ConflictKind::kDuplicateUuid : ConflictKind::kDuplicateName, e.what());
    }
    if (e.kind == sql::Error::kForeignKey) conflict(on_fk, e.what());
    throw;  // not the request's fault: the caller decides (retry, Unavailable)
  }

 private:
  sql::Session& s_;
  std::int64_t now_;
  const scheduler::vgpu::Catalog& catalog_;
  std::size_t index_ = 0;
};

// Rows per multi-row INSERT: each distinct row count is one more prepared statement per
// connection, so a huge body is written in chunks of this many.
constexpr std::size_t kAllocationRowsPerInsert = 32;

// "($first, $first+1, ..., $first+width-1)" for row `row` of a multi-row VALUES list; `casts`
// (PostgreSQL) types each placeholder, which a VALUES list in a SELECT needs.
inline void append_values_row(std::string& sql, std::size_t row, std::size_t first,
                              std::size_t width, const std::vector<std::string_view>& casts) {
  sql += row == 0 ? "(" : ", (";
  for (std::size_t i = 0; i < width; ++i) {
    if (i) sql += ", ";
    sql += '$';
    sql += std::to_string(first + row * width + i);
    if (!casts.empty()) sql += casts[i];
  }
  sql += ')';
}

}  // namespace vgpu::store
