#pragma once
// Writes a ChangeSet through a SQL session, in order, inside the caller's transaction. Written
// once for both engines. Throws Conflict (the caller rolls back, so nothing is written) and lets
// other sql::Error through for the caller to classify.
#include <cstdint>

#include "scheduler/model/change_set.hpp"
#include "scheduler/vgpu/catalog.hpp"
#include "service/store/sql_session.hpp"

namespace vgpu::store {

// Fills in what the database decides: ids of created entities, generations and timestamps, so
// that State::with_changes(changes) matches what a later load() would read. Profiles and boards
// are written by name, looked up in `catalog` (the running one).
void write_changes(sql::Session& s, scheduler::ChangeSet& changes, std::int64_t now,
                   const scheduler::vgpu::Catalog& catalog);

}  // namespace vgpu::store
