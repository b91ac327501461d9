#include "service/store/change_writer.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "scheduler/model/provisional_id.hpp"
#include "service/store/database.hpp"
#include "service/store/migrator.hpp"
#include "service/store/sql_writer.hpp"
#include "service/store/vgpu_writer.hpp"

namespace vgpu::store {
namespace {

using namespace scheduler;

std::string provider_label(const Provider& p) { return "resource provider " + p.uuid.str(); }

sql::Value parent_value(const Provider& p) {
  return p.parent == kNoProvider ? sql::Value{nullptr} : sql::Value{p.parent};
}

// Rows referencing classes or traits that are gone make the insert fail: kMissing.
void write_inventories(Writer& w, const Provider& p) {
  for (const auto& [cls, inv] : p.inventories) {
    w.exec(ConflictKind::kMissing,
           "INSERT INTO inventories (resource_provider_id, resource_class_id, total, reserved, "
           "min_unit, max_unit, step_size, allocation_ratio) "
           "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
           {p.id, std::int64_t{cls}, inv.total, inv.reserved, inv.min_unit, inv.max_unit,
            inv.step_size, inv.allocation_ratio});
  }
}

void write_traits(Writer& w, const Provider& p) {
  // ON CONFLICT: a repeated id in the list is harmless, not a duplicate-name conflict.
  for (TraitId t : p.traits) {
    w.exec(ConflictKind::kMissing,
           "INSERT INTO resource_provider_traits (resource_provider_id, trait_id) "
           "VALUES ($1, $2) ON CONFLICT DO NOTHING",
           {p.id, std::int64_t{t}});
  }
}

void write_aggregates(Writer& w, const Provider& p) {
  for (const Uuid& a : p.aggregates) {
    w.exec(ConflictKind::kMissing,
           "INSERT INTO resource_provider_aggregates (resource_provider_id, aggregate_uuid) "
           "VALUES ($1, $2) ON CONFLICT DO NOTHING",
           {p.id, a.str()});
  }
}

void apply(Writer& w, AddResourceClass& c) {
  c.id = static_cast<ClassId>(w.insert_returning_id(
      ConflictKind::kMissing, w.session().dialect().insert_custom_class, {c.name}));
}

void apply(Writer& w, RemoveResourceClass& c) {
  if (w.exec(ConflictKind::kInUse, "DELETE FROM resource_classes WHERE id = $1",
             {std::int64_t{c.id}}) == 0) {
    w.conflict(ConflictKind::kMissing, "resource class " + std::to_string(c.id) + " not found");
  }
}

void apply(Writer& w, RenameResourceClass& c) {
  if (w.exec(ConflictKind::kMissing, "UPDATE resource_classes SET name = $1 WHERE id = $2",
             {c.name, std::int64_t{c.id}}) == 0) {
    w.conflict(ConflictKind::kMissing, "resource class " + std::to_string(c.id) + " not found");
  }
}

void apply(Writer& w, AddTrait& c) {
  c.id = static_cast<TraitId>(w.insert_returning_id(
      ConflictKind::kMissing, "INSERT INTO traits (name) VALUES ($1) RETURNING id", {c.name}));
}

void apply(Writer& w, RemoveTrait& c) {
  if (w.exec(ConflictKind::kInUse, "DELETE FROM traits WHERE id = $1", {std::int64_t{c.id}}) ==
      0) {
    w.conflict(ConflictKind::kMissing, "trait " + std::to_string(c.id) + " not found");
  }
}

void apply(Writer& w, CreateProvider& c) {
  Provider& p = c.provider;
  p.generation = 0;
  p.created_at = p.updated_at = w.now();
  p.id = w.insert_returning_id(
      ConflictKind::kMissing,
      "INSERT INTO resource_providers (uuid, name, generation, parent_provider_id, created_at, "
      "updated_at) VALUES ($1, $2, 0, $3, $4, $4) RETURNING id",
      {p.uuid.str(), p.name, parent_value(p), w.now()});
  write_inventories(w, p);
  write_traits(w, p);
  write_aggregates(w, p);
}

void apply(Writer& w, UpdateProvider& c) {
  Provider& p = c.provider;
  // Without a bump (a rename or re-parent, as upstream) the row is still matched on the expected
  // generation, which checks it and locks the row just the same.
  p.generation = c.expected_generation + (c.bump_generation ? 1 : 0);
  p.updated_at = w.now();
  // The generation check: a concurrent writer that got there first changed the generation, so
  // this matches no row. In PostgreSQL the row lock makes the loser wait and then re-check.
  const std::int64_t rows =
      (c.parts & kProviderFields)
          ? w.exec(ConflictKind::kMissing,
                   "UPDATE resource_providers SET generation = $1, updated_at = $2, name = $3, "
                   "parent_provider_id = $4 WHERE id = $5 AND generation = $6",
                   {p.generation, w.now(), p.name, parent_value(p), p.id, c.expected_generation})
          : w.exec(ConflictKind::kMissing,
                   "UPDATE resource_providers SET generation = $1, updated_at = $2 "
                   "WHERE id = $3 AND generation = $4",
                   {p.generation, w.now(), p.id, c.expected_generation});
  if (rows == 0) {
    w.conflict(ConflictKind::kGeneration,
               provider_label(p) + ": generation " + std::to_string(c.expected_generation) +
                   " is not current (or the provider is gone)");
  }
  if (c.parts & kProviderInventories) {
    w.exec(ConflictKind::kInUse, "DELETE FROM inventories WHERE resource_provider_id = $1",
           {p.id});
    write_inventories(w, p);
  }
  if (c.parts & kProviderTraits) {
    w.exec(ConflictKind::kInUse,
           "DELETE FROM resource_provider_traits WHERE resource_provider_id = $1", {p.id});
    write_traits(w, p);
  }
  if (c.parts & kProviderAggregates) {
    w.exec(ConflictKind::kInUse,
           "DELETE FROM resource_provider_aggregates WHERE resource_provider_id = $1", {p.id});
    write_aggregates(w, p);
  }
}

void apply(Writer& w, DeleteProvider& c) {
  // Children (and, later, allocations) reference the row with ON DELETE RESTRICT: kInUse.
  if (w.exec(ConflictKind::kInUse,
             "DELETE FROM resource_providers WHERE id = $1 AND generation = $2",
             {c.id, c.expected_generation}) == 0) {
    w.conflict(ConflictKind::kGeneration,
               "resource provider " + std::to_string(c.id) + ": generation " +
                   std::to_string(c.expected_generation) +
                   " is not current (or the provider is gone)");
  }
}

sql::Value type_value(const Consumer& c) {
  return c.consumer_type.empty() ? sql::Value{nullptr} : sql::Value{c.consumer_type};
}

// Allocations naming a provider or class that is gone fail their foreign key: kMissing.
// One statement per kAllocationRowsPerInsert rows: a claim is one round trip, not one per row.
// On PostgreSQL the first statement also writes the consumer's vGPU rows (writable CTEs);
// returns what it wrote of them.
VgpuRowsWritten write_allocations(Writer& w, const Consumer& c, std::size_t from = 0) {
  VgpuRowsWritten vgpu_rows;
  const auto& all = c.allocations;
  for (std::size_t begin = from; begin < all.size(); begin += kAllocationRowsPerInsert) {
    const std::size_t end = std::min(all.size(), begin + kAllocationRowsPerInsert);
    std::string sql =
        "INSERT INTO allocations (consumer_id, resource_provider_id, resource_class_id, used) "
        "VALUES ";
    std::vector<sql::Value> values;
    values.reserve((end - begin) * 4);
    for (std::size_t i = begin; i < end; ++i) {
      append_values_row(sql, i - begin, 1, 4, {});
      const Allocation& a = all[i];
      values.insert(values.end(), {c.id, a.provider, std::int64_t{a.resource_class}, a.used});
    }
    if (begin == 0 && w.session().dialect().writable_ctes &&
        (!c.vgpus.empty() || !c.seats.empty())) {
      // $1 is the consumer id (the first row's); the CTEs go in front.
      std::string ctes;
      vgpu_rows = append_vgpu_ctes(w, c, "$1", ctes, values);
      sql = "WITH " + ctes.substr(2) + " " + sql;
    }
    w.exec(ConflictKind::kMissing, sql, values);
  }
  return vgpu_rows;
}

// PostgreSQL: a new consumer and its first allocations in one statement (a writable CTE), so
// that a claim costs one round trip for them instead of two or more; its vGPU assignments and
// seat holdings ride along as more CTEs. Returns the consumer id and what it wrote of those.
std::pair<std::int64_t, VgpuRowsWritten> insert_consumer_with_allocations(Writer& w,
                                                                          const Consumer& v) {
  const std::size_t rows = std::min(v.allocations.size(), kAllocationRowsPerInsert);
  std::string sql =
      "WITH c AS (INSERT INTO consumers (uuid, project_id, user_id, consumer_type, generation, "
      "created_at, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING id)";
  std::string insert =
      " INSERT INTO allocations (consumer_id, resource_provider_id, resource_class_id, used) "
      "SELECT c.id, v.p, v.rc, v.u FROM c, (VALUES ";
  std::vector<sql::Value> values{v.uuid.str(), v.project_id, v.user_id, type_value(v), w.now()};
  values.reserve(5 + rows * 3);
  for (std::size_t i = 0; i < rows; ++i) {
    append_values_row(insert, i, 6, 3, {"::bigint", "::integer", "::bigint"});
    const Allocation& a = v.allocations[i];
    values.insert(values.end(), {a.provider, std::int64_t{a.resource_class}, a.used});
  }
  insert += ") AS v (p, rc, u) RETURNING consumer_id";
  // Without vGPUs the statement is exactly the plain claim's.
  const VgpuRowsWritten vgpu_rows = append_vgpu_ctes(w, v, "(SELECT id FROM c)", sql, values);
  sql += insert;
  std::optional<std::int64_t> id;
  try {
    w.session().query(sql, values, [&](const sql::Row& r) {
      if (!id) id = r.integer(0);
    });
  } catch (const sql::Error& e) {
    w.rethrow(e, ConflictKind::kMissing);
  }
  if (!id) throw Unavailable("insert of consumer " + v.uuid.str() + " returned no id");
  return {*id, vgpu_rows};
}

// A consumer whose rows are being replaced: its allocations, vGPU assignments and seat holdings
// go. On PostgreSQL one statement (the vGPU deletes ride along in a writable CTE), so a plain
// claim costs the round trips it always did.
void delete_consumer_rows(Writer& w, ConsumerId id) {
  if (w.session().dialect().writable_ctes) {
    w.exec(ConflictKind::kInUse,
           "WITH g AS (DELETE FROM vgpu_assignments WHERE consumer_id = $1), "
           "h AS (DELETE FROM seat_holdings WHERE consumer_id = $1) "
           "DELETE FROM allocations WHERE consumer_id = $1",
           {id});
    return;
  }
  w.exec(ConflictKind::kInUse, "DELETE FROM allocations WHERE consumer_id = $1", {id});
  w.exec(ConflictKind::kInUse, "DELETE FROM vgpu_assignments WHERE consumer_id = $1", {id});
  w.exec(ConflictKind::kInUse, "DELETE FROM seat_holdings WHERE consumer_id = $1", {id});
}

void apply(Writer& w, PutConsumer& c, SeatLedger& seats) {
  Consumer& v = c.consumer;
  v.updated_at = w.now();
  seats.add(w.index(), c.seat_changes);
  if (!c.expected_generation && w.session().dialect().writable_ctes &&
      !v.allocations.empty()) {
    // A concurrent creator of the same uuid fails the unique constraint, as below.
    v.generation = 1;
    v.created_at = w.now();
    VgpuRowsWritten vgpu_rows;
    std::tie(v.id, vgpu_rows) = insert_consumer_with_allocations(w, v);
    write_allocations(w, v, kAllocationRowsPerInsert);  // the rest of a very large body
    write_consumer_vgpus(w, v, vgpu_rows);              // the rest of those
    return;
  }
  if (!c.expected_generation) {
    // A new consumer: a concurrent creator of the same uuid makes this fail on the unique
    // constraint (kDuplicateUuid), which the API reports as a concurrent update.
    v.generation = 1;
    v.created_at = w.now();
    v.id = w.insert_returning_id(
        ConflictKind::kMissing,
        "INSERT INTO consumers (uuid, project_id, user_id, consumer_type, generation, "
        "created_at, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING id",
        {v.uuid.str(), v.project_id, v.user_id, type_value(v), w.now()});
  } else {
    v.generation = *c.expected_generation + 1;
    if (w.exec(ConflictKind::kMissing,
               "UPDATE consumers SET generation = $1, project_id = $2, user_id = $3, "
               "consumer_type = $4, updated_at = $5 WHERE id = $6 AND generation = $7",
               {v.generation, v.project_id, v.user_id, type_value(v), w.now(), v.id,
                *c.expected_generation}) == 0) {
      w.conflict(ConflictKind::kGeneration,
                 "consumer " + v.uuid.str() + ": generation " +
                     std::to_string(*c.expected_generation) + " is not current (or it is gone)");
    }
    delete_consumer_rows(w, v.id);
  }
  write_consumer_vgpus(w, v, write_allocations(w, v));
}

void apply(Writer& w, DeleteConsumer& c, SeatLedger& seats) {
  // Allocations, vGPU assignments and seat holdings go with it (ON DELETE CASCADE); the seats
  // go back to their pools at the end of the ChangeSet.
  seats.add(w.index(), c.seat_changes);
  if (w.exec(ConflictKind::kInUse, "DELETE FROM consumers WHERE id = $1 AND generation = $2",
             {c.id, c.expected_generation}) == 0) {
    w.conflict(ConflictKind::kGeneration,
               "consumer " + c.uuid.str() + ": generation " +
                   std::to_string(c.expected_generation) + " is not current (or it is gone)");
  }
}

void apply(Writer& w, PutManagedHost& c, SeatLedger&) { write_managed_host(w, c); }
void apply(Writer& w, SetLicencePools& c, SeatLedger&) { write_licence_pools(w, c); }

// The other changes have no seats to account.
template <typename T>
void apply(Writer& w, T& c, SeatLedger&) {
  apply(w, c);
}

}  // namespace

namespace {

void write_in_order(sql::Session& s, ChangeSet& changes, std::int64_t now,
                    const vgpu::Catalog& catalog) {
  Writer w(s, now, catalog);
  SeatLedger seats;
  for (std::size_t i = 0; i < changes.changes.size(); ++i) {
    w.set_index(i);
    std::visit([&](auto& change) { apply(w, change, seats); }, changes.changes[i]);
    // Later changes may refer to what this one created (provisional_id.hpp).
    bind_provisional_id(changes, i);
  }
  // Last: the pool rows are shared by every claim of an edition (vgpu_writer.hpp).
  seats.apply(w);
}

}  // namespace

void write_changes(sql::Session& s, ChangeSet& changes, std::int64_t now,
                   const vgpu::Catalog& catalog) {
  if (!has_provisional_ids(changes)) {
    write_in_order(s, changes, now, catalog);
    return;
  }
  // Binding rewrites the provisional ids, and the engine may run this body again (a deadlock,
  // a lost connection): each attempt binds a fresh copy, kept only when it went through.
  ChangeSet attempt = changes;
  write_in_order(s, attempt, now, catalog);
  changes = std::move(attempt);
}

}  // namespace vgpu::store
