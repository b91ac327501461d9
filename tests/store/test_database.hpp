#pragma once
// Which database the contract suite runs against, and fresh databases for each scenario.
//
// The same test binary runs once per engine; the environment says which:
//   VGPU_TEST_DATABASE_URL=sqlite:///dir/store.db   each scenario gets a new file in dir/
//   VGPU_TEST_DATABASE_URL_FILE=<cluster dir>/url   PostgreSQL, URL written by pg_cluster.sh;
//                                                   each scenario gets an emptied schema
// (VGPU_TEST_DATABASE_URL=postgresql://... works too, without the restart test.) Nothing set,
// or a server that cannot be reached, fails the scenario: it is never skipped.
#include <memory>
#include <string>

#include "service/store/database.hpp"

namespace vgpu::store::test {

bool is_postgres();
// The URL the suite was given (PostgreSQL: with its password).
const std::string& database_url();

// An empty database (no migration applied) that is removed (SQLite) or left for the next
// scenario to empty (PostgreSQL) when the TestDatabase goes.
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Database& operator*() { return *db_; }
  Database* operator->() { return db_.get(); }
  std::unique_ptr<Database> release() { return std::move(db_); }
  const std::string& url() const { return url_; }

 private:
  std::string url_;
  std::string sqlite_file_;
  std::unique_ptr<Database> db_;
};

// PostgreSQL only: runs SQL on a connection of its own (not through the store), to the test
// database or to `other_database` on the same server.
void postgres_admin(const std::string& sql, const char* other_database = nullptr);
// PostgreSQL only: the database named in the URL.
std::string postgres_database_name();
// PostgreSQL only: restarts the test cluster (pg_cluster.sh restart).
void restart_postgres();

}  // namespace vgpu::store::test
