#include "service/store/vgpu_writer.hpp"

#include <string>

#include "scheduler/vgpu/power_model.hpp"

namespace vgpu::store {
namespace {

using namespace scheduler;

std::string edition_name(Writer& w, std::uint8_t edition) {
  if (edition >= vgpu::kEditionCount) {
    w.conflict(ConflictKind::kMissing, "licence edition " + std::to_string(edition) +
                                           " does not exist");
  }
  return std::string(vgpu::to_string(static_cast<vgpu::Edition>(edition)));
}

// The State holds indices into the running catalog; an index outside it is a bug upstream of
// the store, reported rather than written as garbage.
std::string profile_name(Writer& w, vgpu::ProfileIndex p) {
  const auto& profiles = w.catalog().profiles();
  if (p < 0 || static_cast<std::size_t>(p) >= profiles.size()) {
    w.conflict(ConflictKind::kMissing,
               "vGPU profile index " + std::to_string(p) + " is not in the catalog");
  }
  return profiles[static_cast<std::size_t>(p)].name;
}

std::string board_name(Writer& w, vgpu::BoardIndex b) {
  const auto& boards = w.catalog().boards();
  if (b < 0 || static_cast<std::size_t>(b) >= boards.size()) {
    w.conflict(ConflictKind::kMissing,
               "GPU board index " + std::to_string(b) + " is not in the catalog");
  }
  return boards[static_cast<std::size_t>(b)].name;
}

sql::Value optional_value(const std::optional<double>& v) {
  return v ? sql::Value{*v} : sql::Value{nullptr};
}

std::string_view naming_name(VgpuNaming n) {
  return n == VgpuNaming::trait ? "trait" : "resource_class";
}

// The id of the provider `uuid` names: known already, or inserted earlier in this transaction.
ProviderId provider_id(Writer& w, ProviderId known, const Uuid& uuid, const char* what) {
  if (known != kNoProvider) return known;
  const auto id = query_integer(w.session(), "SELECT id FROM resource_providers WHERE uuid = $1",
                                {uuid.str()});
  if (!id) w.conflict(ConflictKind::kMissing, std::string(what) + " " + uuid.str() + " not found");
  return *id;
}

}  // namespace

void write_managed_host(Writer& w, PutManagedHost& c) {
  ManagedHost& h = c.host;
  h.updated_at = w.now();
  h.root = provider_id(w, h.root, h.root_uuid, "root resource provider");
  w.exec(ConflictKind::kMissing,
         "INSERT INTO managed_hosts (hostname, root_provider_id, state, idle_watts, "
         "standby_watts, updated_at) VALUES ($1, $2, $3, $4, $5, $6) "
         "ON CONFLICT (hostname) DO UPDATE SET root_provider_id = excluded.root_provider_id, "
         "state = excluded.state, idle_watts = excluded.idle_watts, "
         "standby_watts = excluded.standby_watts, updated_at = excluded.updated_at",
         {h.hostname, h.root, std::string(vgpu::to_string(h.state)), h.idle_watts,
          h.standby_watts, w.now()});
  // The GPUs as a whole: those no longer listed stop being managed (their vGPUs, if any, stay
  // with their consumers; `check` reports them).
  w.exec(ConflictKind::kInUse, "DELETE FROM managed_gpus WHERE hostname = $1", {h.hostname});
  for (std::size_t i = 0; i < c.gpus.size(); ++i) {
    ManagedGpu& g = c.gpus[i];
    g.hostname = h.hostname;
    g.provider = provider_id(w, g.provider, g.provider_uuid, "GPU resource provider");
    std::string supported;
    for (vgpu::ProfileIndex p : g.gpu.supported) {
      if (!supported.empty()) supported += ',';
      supported += profile_name(w, p);
    }
    w.exec(ConflictKind::kMissing,
           "INSERT INTO managed_gpus (provider_id, hostname, position, pci_address, board, mode, "
           "naming, supported_profiles, idle_watts, busy_watts, per_vgpu_watts) "
           "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
           {g.provider, h.hostname, static_cast<std::int64_t>(i), g.pci_address,
            board_name(w, g.gpu.board), std::string(vgpu::to_string(g.gpu.mode)),
            std::string(naming_name(g.naming)), supported, optional_value(g.power.idle_watts),
            optional_value(g.power.busy_watts), optional_value(g.power.per_vgpu_watts)});
  }
}

void write_licence_pools(Writer& w, SetLicencePools& c) {
  for (int e = 0; e < vgpu::kEditionCount; ++e) {
    vgpu::LicencePool& pool = c.pools.pools[static_cast<std::size_t>(e)];
    sql::Value total = nullptr;
    if (pool.total) total = *pool.total;
    // `used` follows the seats held: an existing counter is kept as it is, and a total below
    // it is refused (checked here, in SQL, not only against a snapshot that another instance's
    // claims may have overtaken): the pool would be over-committed.
    const std::string name = edition_name(w, static_cast<std::uint8_t>(e));
    const auto used = query_integer(
        w.session(),
        "INSERT INTO licence_pools (edition, total, reserve, used) VALUES ($1, $2, $3, 0) "
        "ON CONFLICT (edition) DO UPDATE SET total = excluded.total, reserve = excluded.reserve "
        "WHERE excluded.total IS NULL OR excluded.total >= licence_pools.used "
        "RETURNING used",
        {name, total, pool.reserve});
    if (!used) {
      const auto in_use =
          query_integer(w.session(), "SELECT used FROM licence_pools WHERE edition = $1", {name});
      w.conflict(ConflictKind::kLicence,
                 "licence pool " + name + ": total " + std::to_string(pool.total.value_or(0)) +
                     " is below the " + std::to_string(in_use.value_or(0)) + " seats in use");
    }
    pool.used = *used;
  }
}

namespace {

// "($id, $n, $n+1, ...)" rows of `width` parameters after the consumer id expression.
void append_row(std::string& sql, bool first_row, std::string_view id, std::size_t first,
                std::size_t width) {
  sql += first_row ? "(" : ", (";
  sql += id;
  for (std::size_t i = 0; i < width; ++i) sql += ", $" + std::to_string(first + i);
  sql += ')';
}

}  // namespace

VgpuRowsWritten append_vgpu_ctes(Writer& w, const Consumer& c, std::string_view id,
                                 std::string& sql, std::vector<sql::Value>& values) {
  VgpuRowsWritten done;
  done.vgpus = std::min(c.vgpus.size(), kAllocationRowsPerInsert);
  if (done.vgpus > 0) {
    sql += ", g AS (INSERT INTO vgpu_assignments (consumer_id, ordinal, gpu_provider_id, "
           "profile, start_slot) VALUES ";
    for (std::size_t i = 0; i < done.vgpus; ++i) {
      append_row(sql, i == 0, id, values.size() + 1, 4);
      const VgpuAssignment& a = c.vgpus[i];
      values.insert(values.end(), {static_cast<std::int64_t>(i), a.gpu,
                                   profile_name(w, a.profile), std::int64_t{a.start}});
    }
    sql += ')';
  }
  if (!c.seats.empty()) {
    sql += ", h AS (INSERT INTO seat_holdings (consumer_id, edition, seats) VALUES ";
    for (std::size_t i = 0; i < c.seats.size(); ++i) {
      append_row(sql, i == 0, id, values.size() + 1, 2);
      values.insert(values.end(), {edition_name(w, c.seats[i].edition), c.seats[i].seats});
    }
    sql += ')';
    done.seats = true;
  }
  return done;
}

void write_consumer_vgpus(Writer& w, const Consumer& c, VgpuRowsWritten done) {
  for (std::size_t begin = done.vgpus; begin < c.vgpus.size();
       begin += kAllocationRowsPerInsert) {
    const std::size_t end = std::min(c.vgpus.size(), begin + kAllocationRowsPerInsert);
    std::string sql =
        "INSERT INTO vgpu_assignments (consumer_id, ordinal, gpu_provider_id, profile, "
        "start_slot) VALUES ";
    std::vector<sql::Value> values;
    values.reserve((end - begin) * 5);
    for (std::size_t i = begin; i < end; ++i) {
      append_values_row(sql, i - begin, 1, 5, {});
      const VgpuAssignment& a = c.vgpus[i];
      values.insert(values.end(), {c.id, static_cast<std::int64_t>(i), a.gpu,
                                   profile_name(w, a.profile), std::int64_t{a.start}});
    }
    w.exec(ConflictKind::kMissing, sql, values);
  }
  if (c.seats.empty() || done.seats) return;
  std::string sql = "INSERT INTO seat_holdings (consumer_id, edition, seats) VALUES ";
  std::vector<sql::Value> values;
  for (std::size_t i = 0; i < c.seats.size(); ++i) {
    append_values_row(sql, i, 1, 3, {});
    values.insert(values.end(),
                  {c.id, edition_name(w, c.seats[i].edition), c.seats[i].seats});
  }
  w.exec(ConflictKind::kMissing, sql, values);
}

void SeatLedger::add(std::size_t change_index, const std::vector<SeatChange>& changes) {
  for (const SeatChange& s : changes) {
    if (s.edition >= vgpu::kEditionCount) {
      throw Conflict(ConflictKind::kMissing, change_index,
                     "licence edition " + std::to_string(s.edition) + " does not exist");
    }
    Pool& p = pools_[s.edition];
    if (s.delta > 0) {
      // Netted per pool, the reserve may be used only if every taker may use it.
      p.use_reserve = p.touched && p.delta > 0 ? (p.use_reserve && s.use_reserve) : s.use_reserve;
      if (!(p.touched && p.delta > 0)) p.first_taker = change_index;
    }
    p.touched = true;
    p.delta += s.delta;
  }
}

void SeatLedger::apply(Writer& w) const {
  // One statement for every pool that moves: a positive change only where the pool can take
  // it (used + n <= total - reserve; no reserve term for a use_reserve claim; no total:
  // unlimited), a negative one always, never below 0. Portable SQL (CAST, UPDATE ... FROM,
  // RETURNING): SQLite 3.35+ and PostgreSQL.
  std::string sql = "WITH v (e, d, r) AS (VALUES ";
  std::vector<sql::Value> values;
  std::size_t rows = 0;
  for (int e = 0; e < vgpu::kEditionCount; ++e) {
    const Pool& p = pools_[static_cast<std::size_t>(e)];
    if (!p.touched || p.delta == 0) continue;
    const std::size_t first = values.size() + 1;
    sql += rows++ ? ", (" : "(";
    sql += "CAST($" + std::to_string(first) + " AS VARCHAR(16)), CAST($" +
           std::to_string(first + 1) + " AS BIGINT), CAST($" + std::to_string(first + 2) +
           " AS INTEGER))";
    values.insert(values.end(), {edition_name(w, static_cast<std::uint8_t>(e)), p.delta,
                                 std::int64_t{p.use_reserve ? 1 : 0}});
  }
  if (rows == 0) return;
  sql +=
      ") UPDATE licence_pools SET used = CASE WHEN licence_pools.used + v.d < 0 THEN 0 "
      "ELSE licence_pools.used + v.d END FROM v WHERE licence_pools.edition = v.e AND "
      "(v.d <= 0 OR licence_pools.total IS NULL OR licence_pools.used + v.d <= "
      "licence_pools.total - CASE WHEN v.r = 1 THEN 0 ELSE licence_pools.reserve END) "
      "RETURNING licence_pools.edition";
  std::array<bool, vgpu::kEditionCount> updated{};
  try {
    w.session().query(sql, values, [&](const sql::Row& r) {
      if (auto e = vgpu::edition_from_string(r.text(0))) updated[static_cast<std::size_t>(*e)] = true;
    });
  } catch (const sql::Error& e) {
    w.rethrow(e, ConflictKind::kMissing);
  }
  for (int e = 0; e < vgpu::kEditionCount; ++e) {
    const Pool& p = pools_[static_cast<std::size_t>(e)];
    if (!p.touched || p.delta <= 0 || updated[static_cast<std::size_t>(e)]) continue;
    // Refused, or no row: find out which (the failure path may cost a round trip more).
    const std::string name = edition_name(w, static_cast<std::uint8_t>(e));
    std::optional<vgpu::LicencePool> pool;
    w.session().query("SELECT total, reserve, used FROM licence_pools WHERE edition = $1",
                      {name}, [&](const sql::Row& r) {
                        pool = vgpu::LicencePool{};
                        if (!r.is_null(0)) pool->total = r.integer(0);
                        pool->reserve = r.integer(1);
                        pool->used = r.integer(2);
                      });
    if (!pool) {
      // No row is no pool configured: unlimited, but counted.
      w.exec(ConflictKind::kMissing,
             "INSERT INTO licence_pools (edition, total, reserve, used) VALUES ($1, NULL, 0, $2)",
             {name, p.delta});
      continue;
    }
    std::string what = "licence pool " + name + ": " + std::to_string(pool->used) + " of " +
                       std::to_string(pool->total.value_or(0)) + " seats in use (reserve " +
                       std::to_string(pool->reserve) + "), request needs " +
                       std::to_string(p.delta);
    throw Conflict(ConflictKind::kLicence, p.first_taker, what);
  }
}

}  // namespace vgpu::store
