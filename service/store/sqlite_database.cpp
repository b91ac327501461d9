#include "service/store/sqlite_database.hpp"

#include <filesystem>
#include <system_error>

#include "service/store/migrator.hpp"

namespace vgpu::store {
namespace {

// Runs before the connection opens (member initialisation order): SQLite creates the file but
// not its directory.
const std::string& with_parent_directory(const std::string& path) {
  if (path == ":memory:") return path;
  const auto parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) throw Unavailable("cannot create directory " + parent.string() + ": " + ec.message());
  return path;
}

}  // namespace

SqliteDatabase::SqliteDatabase(const std::string& path, CatalogPtr catalog)
    : SqlDatabase(std::move(catalog)), path_(path), session_(with_parent_directory(path)) {}

std::string SqliteDatabase::description() const {
  return path_ == ":memory:" ? "sqlite://:memory:" : "sqlite://" + path_;
}

bool SqliteDatabase::ping() {
  try {
    std::lock_guard lock(mutex_);
    return query_integer(session_, "SELECT 1") == 1;
  } catch (const std::exception&) {
    return false;
  }
}

// One process owns the file: no transaction ids or snapshots to report (TxInfo stays empty).
SqlDatabase::TxInfo SqliteDatabase::transaction(TxMode mode,
                                                const std::function<void(sql::Session&)>& body) {
  std::lock_guard lock(mutex_);
  try {
    // IMMEDIATE takes the write lock up front, so a writer never fails half-way for want of
    // it; readers use a plain (deferred) read transaction.
    session_.script(mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
    body(session_);
    session_.script("COMMIT");
    return {};
  } catch (...) {
    if (session_.in_transaction()) {
      try {
        session_.script("ROLLBACK");
      } catch (const sql::Error&) {
        // The connection stays usable; the error that matters is the one being rethrown.
      }
    }
    try {
      throw;
    } catch (const sql::Error& e) {
      throw Unavailable(std::string("SQLite ") + path_ + ": " + e.what());
    }
  }
}

}  // namespace vgpu::store
