#pragma once
// Reads the vGPU layer (internal to state_reader.cpp): managed hosts and GPUs and the licence
// pools into the State, the consumers' vGPU assignments and seat holdings into the consumers.
// Profile and board names go through the running catalog: a name it does not know becomes -1
// (`vgpu-placement check` reports it; the load never fails for it).
#include <unordered_map>

#include "scheduler/model/consumer.hpp"
#include "scheduler/model/state.hpp"
#include "scheduler/vgpu/catalog.hpp"
#include "service/store/sql_session.hpp"

namespace vgpu::store {

// After the providers are loaded and linked, before the consumers.
void read_vgpu_layer(sql::Session& s, const scheduler::vgpu::Catalog& catalog,
                     scheduler::State& state);

void read_consumer_vgpus(sql::Session& s, const scheduler::vgpu::Catalog& catalog,
                         std::unordered_map<scheduler::ConsumerId, scheduler::Consumer>& consumers);

}  // namespace vgpu::store
