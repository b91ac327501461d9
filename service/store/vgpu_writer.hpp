#pragma once
// The vGPU layer's part of a ChangeSet (internal to the change writer): managed hosts and GPUs,
// licence pools, a consumer's vGPU assignments and seat holdings, and the licence counters.
// Profiles and boards are written by NAME (Writer::catalog maps the State's indices).
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "scheduler/model/change_set.hpp"
#include "service/store/sql_writer.hpp"

namespace vgpu::store {

// Upserts the host row and replaces its GPU rows. Fills in the provider ids (root, GPUs) the
// uuids name, for State::with_changes. A uuid with no provider is kMissing; a GPU another host
// already manages, or a root another host has, is kDuplicateName.
void write_managed_host(Writer& w, scheduler::PutManagedHost& c);

// Upserts every edition's total and reserve, keeping `used`; fills in `used` as stored. A total
// below the seats in use is kLicence.
void write_licence_pools(Writer& w, scheduler::SetLicencePools& c);

// What of a consumer's vGPU rows a statement already wrote.
struct VgpuRowsWritten {
  std::size_t vgpus = 0;  // the first n assignments
  bool seats = false;
};

// PostgreSQL (writable CTEs): the consumer's first assignments and its seat holdings as
// data-modifying CTEs, ", g AS (INSERT ...), h AS (INSERT ...)", for the statement that writes
// its allocations, so that they cost no round trip of their own. `id` is the SQL giving the
// consumer id ("(SELECT id FROM c)" inside the new-consumer CTE, or a placeholder); parameters
// are numbered after those already in `values`. Appends nothing when there is nothing to write.
VgpuRowsWritten append_vgpu_ctes(Writer& w, const scheduler::Consumer& c, std::string_view id,
                                 std::string& sql, std::vector<sql::Value>& values);

// Inserts the consumer's vGPU assignments and seat holdings that `done` did not (its row
// exists, its old rows are gone): multi-row INSERTs, one round trip each when there are any.
void write_consumer_vgpus(Writer& w, const scheduler::Consumer& c, VgpuRowsWritten done = {});

// The seat changes of a whole ChangeSet, netted per pool and applied at its end in one
// conditional UPDATE: the pool rows are the most contended rows of all (every claim of an
// edition takes one), so they are locked last and for the shortest time, and always in one
// statement, so two ChangeSets never lock two pools in opposite orders.
class SeatLedger {
 public:
  void add(std::size_t change_index, const std::vector<scheduler::SeatChange>& changes);
  // Throws Conflict(kLicence) naming the pool and its numbers, with the index of the first
  // change that took seats of it.
  void apply(Writer& w) const;

 private:
  struct Pool {
    bool touched = false;
    std::int64_t delta = 0;
    bool use_reserve = false;
    std::size_t first_taker = 0;  // change index, valid when some change took seats
  };
  std::array<Pool, scheduler::vgpu::kEditionCount> pools_{};
};

}  // namespace vgpu::store
