#include "tests/store/test_database.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace vgpu::store::test {
namespace {

std::string read_url() {
  if (const char* url = std::getenv("VGPU_TEST_DATABASE_URL"); url && *url) return url;
  if (const char* file = std::getenv("VGPU_TEST_DATABASE_URL_FILE"); file && *file) {
    std::ifstream in(file);
    std::string url;
    if (!(in >> url)) {
      throw std::runtime_error(std::string("cannot read the database URL from ") + file +
                               " (did postgres_cluster_start run?)");
    }
    return url;
  }
  throw std::runtime_error(
      "set VGPU_TEST_DATABASE_URL (sqlite:///dir/x.db or postgresql://...) or "
      "VGPU_TEST_DATABASE_URL_FILE (the url file written by tests/support/pg_cluster.sh start)");
}

void remove_sqlite_files(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

}  // namespace

const std::string& database_url() {
  static const std::string url = read_url();
  return url;
}

bool is_postgres() { return database_url().rfind("sqlite://", 0) != 0; }

void postgres_admin(const std::string& sql, const char* other_database) {
  // Only the first dbname is expanded as a URL; a second one overrides the database name.
  const char* keys[] = {"dbname", other_database ? "dbname" : nullptr, nullptr};
  const char* values[] = {database_url().c_str(), other_database, nullptr};
  PGconn* c = PQconnectdbParams(keys, values, 1);
  if (PQstatus(c) != CONNECTION_OK) {
    const std::string why = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("cannot connect to the test PostgreSQL: " + why);
  }
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  PGresult* r = PQexec(c, sql.c_str());
  const auto status = PQresultStatus(r);
  const std::string why = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error("test SQL failed: " + why);
  }
}

std::string postgres_database_name() {
  PQconninfoOption* options = PQconninfoParse(database_url().c_str(), nullptr);
  std::string name;
  for (PQconninfoOption* o = options; o && o->keyword; ++o) {
    if (std::string(o->keyword) == "dbname" && o->val) name = o->val;
  }
  PQconninfoFree(options);
  if (name.empty()) throw std::runtime_error("the test URL names no database");
  return name;
}

void restart_postgres() {
  const char* file = std::getenv("VGPU_TEST_DATABASE_URL_FILE");
  if (!file) throw std::runtime_error("restart needs VGPU_TEST_DATABASE_URL_FILE");
  const std::string dir = std::filesystem::path(file).parent_path().string();
  const std::string command = std::string("'") + VGPU_PG_CLUSTER_SCRIPT + "' restart '" + dir + "'";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
}

TestDatabase::TestDatabase() {
  static int counter = 0;
  const std::string& base = database_url();
  if (is_postgres()) {
    // Everything the migrations create lives in schema public.
    postgres_admin("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
    url_ = base;
  } else {
    // sqlite:///dir/store.db -> dir/store-<pid>-<n>.db, so runs and scenarios never share.
    const std::filesystem::path given(base.substr(std::string("sqlite://").size()));
    sqlite_file_ = (given.parent_path() / (given.stem().string() + "-" +
                                           std::to_string(getpid()) + "-" +
                                           std::to_string(++counter) + ".db"))
                       .string();
    remove_sqlite_files(sqlite_file_);
    url_ = "sqlite://" + sqlite_file_;
  }
  db_ = open_database(url_);
}

TestDatabase::~TestDatabase() {
  db_.reset();
  if (!sqlite_file_.empty()) remove_sqlite_files(sqlite_file_);
}

}  // namespace vgpu::store::test
