#pragma once
// Placement's capacity rules for a claim, checked against one snapshot: every allocation needs
// inventory of its class on its provider, must respect min_unit, max_unit and step_size, and the
// provider's usage (without what the claimed consumers hold now) plus the claim must stay within
// (total - reserved) * allocation_ratio.
#include <vector>

#include "scheduler/allocation/claim.hpp"
#include "scheduler/model/state.hpp"

namespace vgpu::scheduler::allocation {

enum class Refusal {
  kNone,
  kNoInventory,   // a provider lacks inventory of a requested class
  kConstraints,   // min_unit, max_unit or step_size
  kCapacity,      // would exceed the capacity
};

struct CheckResult {
  Refusal refusal = Refusal::kNone;
  // What to name in the message: one class and provider, except for kNoInventory on providers
  // that have none of the request's classes, where upstream names them all (sorted).
  std::vector<ClassId> classes;
  std::vector<ProviderId> providers;

  bool ok() const { return refusal == Refusal::kNone; }
};

// Providers named in the claims must exist in `state` (the API refuses unknown ones first).
CheckResult check_claims(const State& state, const std::vector<ConsumerClaim>& claims);

}  // namespace vgpu::scheduler::allocation
