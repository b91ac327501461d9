#pragma once
// Reads the whole placement state from the database into a snapshot (start-up, reload). Written
// once for both engines; the caller runs it inside one read transaction so that it sees a
// consistent state.
#include "scheduler/model/state.hpp"
#include "scheduler/vgpu/catalog.hpp"
#include "service/store/sql_session.hpp"

namespace vgpu::store {

// Profile and board names are mapped through `catalog`; a name it does not know becomes -1
// (never a failed load: `vgpu-placement check` reports it).
scheduler::State read_state(sql::Session& s, const scheduler::vgpu::Catalog& catalog);

}  // namespace vgpu::store
