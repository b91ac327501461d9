#pragma once
// Reads the whole placement state from the database into a snapshot (start-up, reload). Written
// once for both engines; the caller runs it inside one read transaction so that it sees a
// consistent state.
#include "scheduler/model/state.hpp"
#include "service/store/sql_session.hpp"

namespace vgpu::store {

scheduler::State read_state(sql::Session& s);

}  // namespace vgpu::store
