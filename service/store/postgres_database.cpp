#include "service/store/postgres_database.hpp"

#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <stdexcept>

#include "service/store/migrator.hpp"
#include "service/store/pg_change_feed.hpp"

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

// 16 hex digits: only letters and digits, so it may be spliced into the NOTIFY statement.
std::string random_instance_id() {
  std::random_device seed;
  std::mt19937_64 gen((std::uint64_t{seed()} << 32) ^ seed());
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(gen()));
  return text;
}

}  // namespace

PostgresDatabase::PostgresDatabase(const std::string& conninfo, CatalogPtr catalog,
                                   std::size_t pool_size)
    : SqlDatabase(std::move(catalog)),
      conninfo_(conninfo),
      description_(describe(conninfo)),
      instance_id_(random_instance_id()),
      notify_("BEGIN; SET LOCAL synchronous_commit = off; NOTIFY " + std::string(kChangeChannel) +
              ", '" + instance_id_ + "'; COMMIT"),
      pool_(conninfo, pool_size) {
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

std::unique_ptr<ChangeFeed> PostgresDatabase::watch(std::function<void(bool)> on_change) {
  return std::make_unique<PgChangeFeed>(conninfo_, instance_id_, std::move(on_change));
}

// The other instances hear of a write once it has committed, from a NOTIFY in a transaction of
// its own, committed asynchronously. Not inside the write's transaction: a notifying commit
// holds PostgreSQL's global notification lock until its commit record is flushed, so every
// notifying write waited for the fsyncs of all the others (pgbench, 16 clients, fsync on, this
// machine: 430-650 commits/s against 2,450 without NOTIFY; 2,100-2,280 with the NOTIFY after
// the commit, asynchronously committed, since its commit record need not reach the disk).
// A notification that fails to go out (the queue full because a listener is stuck) does not
// undo the committed write: the peers catch up at the next notification, on a conflict, or
// when their feed reconnects.
void PostgresDatabase::notify_peers(PgConnection& c) {
  try {
    c.script(notify_);
  } catch (const sql::Error&) {
    c.rollback_quietly();
  }
}

SqlDatabase::TxInfo PostgresDatabase::transaction(
    TxMode mode, const std::function<void(sql::Session&)>& body) {
  auto lease = pool_.acquire();
  PgConnection& c = *lease;
  // A read sees one snapshot across its statements; writes rely on row locks and the
  // conditional UPDATEs, for which READ COMMITTED is enough and never fails to serialise.
  // Where the transaction sits in history comes back with BEGIN, in the same round trip: a
  // read's snapshot (its first statement takes it) or a write's id (CachedStore::reload needs
  // both to tell which of its own commits a reload already holds).
  const char* begin =
      mode == TxMode::kRead
          ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT pg_current_snapshot()::text"
          : "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_current_xact_id()::text";
  int reconnects_left = 1;  // a pooled connection may have died while idle (server restart)
  int retries_left = 3;     // deadlocks between writers touching the same rows
  for (;;) {
    bool commit_sent = false;
    try {
      c.ensure_connected();
      const std::string mark = c.script_value(begin);
      body(c);
      commit_sent = true;
      c.script("COMMIT");
      TxInfo info;
      if (mode == TxMode::kWrite) {
        info.xid = std::strtoull(mark.c_str(), nullptr, 10);
        notify_peers(c);
      } else if (auto snapshot = TxSnapshot::parse(mark)) {
        info.snapshot = std::move(*snapshot);
      }
      return info;
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
