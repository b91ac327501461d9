#pragma once
// Turns a checked claim into the ChangeSet the store commits: each consumer put (or deleted when
// it ends up with nothing), and a generation bump (UpdateProvider, parts 0) for every provider
// the claim allocates on, or releases when a consumer is emptied, as upstream does. The bump is
// what makes two concurrent claims on one provider conflict in SQL instead of both passing a
// capacity check on the same snapshot. Expected generations are the snapshot's: the caller has
// already compared any client-given consumer generation with it.
#include <cstdint>
#include <vector>

#include "scheduler/allocation/claim.hpp"
#include "scheduler/model/change_set.hpp"
#include "scheduler/model/state.hpp"

namespace vgpu::scheduler::allocation {

ChangeSet claim_changes(const State& state, const std::vector<ConsumerClaim>& claims,
                        std::int64_t now);

// Removing a consumer outright (DELETE /allocations/{consumer}); upstream bumps no provider.
ChangeSet release_changes(const Consumer& consumer);

}  // namespace vgpu::scheduler::allocation
