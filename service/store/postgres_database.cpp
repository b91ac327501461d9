#include "service/store/postgres_database.hpp"

#include <libpq-fe.h>

#include <map>
#include <stdexcept>

#include "service/store/migrator.hpp"

namespace vgpu::store {
namespace {

// "postgresql://user@host:port/db" from the parsed connection settings: the password (and any
// other option) is left out, whichever form the settings were given in.
std::string describe(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (!options) {
    std::string why = error ? error : "out of memory";
    PQfreemem(error);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    throw std::invalid_argument("malformed PostgreSQL URL: " + why);
  }
  std::map<std::string, std::string> set;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    if (o->val && *o->val) set[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  std::string out = "postgresql://";
  if (set.count("user")) out += set["user"] + "@";
  out += set.count("host") ? set["host"] : set.count("hostaddr") ? set["hostaddr"] : "";
  if (set.count("port")) out += ":" + set["port"];
  out += "/";
  if (set.count("dbname")) out += set["dbname"];
  return out;
}

}  // namespace

PostgresDatabase::PostgresDatabase(const std::string& conninfo, std::size_t pool_size)
    : description_(describe(conninfo)), pool_(conninfo, pool_size) {
  try {
    pool_.acquire()->ensure_connected();
  } catch (const Unavailable& e) {
    throw Unavailable(description_ + ": " + e.what());
  }
}

const sql::Dialect& PostgresDatabase::dialect() const { return postgres_dialect(); }

bool PostgresDatabase::ping() {
  try {
    transaction(TxMode::kRead, [](sql::Session& s) { query_integer(s, "SELECT 1"); });
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

void PostgresDatabase::transaction(TxMode mode,
                                   const std::function<void(sql::Session&)>& body) {
  auto lease = pool_.acquire();
  PgConnection& c = *lease;
  // A read sees one snapshot across its statements; writes rely on row locks and the
  // conditional UPDATEs, for which READ COMMITTED is enough and never fails to serialise.
  const char* begin = mode == TxMode::kRead ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                            : "BEGIN ISOLATION LEVEL READ COMMITTED";
  int reconnects_left = 1;  // a pooled connection may have died while idle (server restart)
  int retries_left = 3;     // deadlocks between writers touching the same rows
  for (;;) {
    bool commit_sent = false;
    try {
      c.ensure_connected();
      c.script(begin);
      body(c);
      commit_sent = true;
      c.script("COMMIT");
      return;
    } catch (const sql::Error& e) {
      c.rollback_quietly();
      // Once COMMIT is sent a lost connection leaves the outcome unknown: never re-run then.
      if (e.kind == sql::Error::kConnection && !commit_sent && reconnects_left-- > 0) {
        try {
          c.reconnect();
        } catch (const Unavailable& down) {
          throw Unavailable(description_ + ": " + down.what());
        }
        continue;
      }
      if (e.kind == sql::Error::kRetry && retries_left-- > 0) continue;
      throw Unavailable(description_ + ": " + e.what());
    } catch (const Unavailable& e) {
      c.rollback_quietly();
      throw Unavailable(description_ + ": " + e.what());
    } catch (...) {
      c.rollback_quietly();  // Conflict: nothing of the ChangeSet stays
      throw;
    }
  }
}

}  // namespace vgpu::store
