#pragma once
// POST /reshaper (1.30+; 1.34 accepts mappings, 1.38 requires consumer_type): replaces the
// inventories of several providers and the allocations of several consumers in one transaction,
// as Nova does when it moves VGPU inventory from a compute node to child pGPU providers.
#include <cstdint>
#include <vector>

#include "api/router.hpp"
#include "scheduler/allocation/claim.hpp"
#include "scheduler/allocation/claim_check.hpp"
#include "scheduler/model/change_set.hpp"
#include "scheduler/model/state.hpp"

namespace vgpu::api {

void add_reshaper_routes(Router& router);

// The pure part, tested alone: upstream's reshape() against one snapshot.
struct InventoryReplacement {
  scheduler::ProviderId provider = scheduler::kNoProvider;
  scheduler::FlatMap<scheduler::ClassId, scheduler::Inventory> inventories;  // the final set
};

struct ReshapePlan {
  // A claim that does not fit the inventories as they are while allocations are replaced:
  // each provider's new inventories plus, for classes it drops, the old ones (upstream's
  // "interim" inventories: a claim may still name a class the reshape removes, as long as no
  // allocation is left on it at the end).
  scheduler::allocation::CheckResult refusal;
  // Otherwise, a class removed from a provider that still has allocations afterwards.
  scheduler::ProviderId in_use_provider = scheduler::kNoProvider;
  std::vector<scheduler::ClassId> in_use_classes;  // sorted
  // Otherwise, what to commit. Each replaced provider's generation goes up as upstream's does:
  // once for the interim inventories (unless the new set is empty), once when allocations on it
  // change, once for the final inventories; one UpdateProvider per step, checked in SQL.
  scheduler::ChangeSet changes;

  bool ok() const { return refusal.ok() && in_use_classes.empty(); }
};

// `replacements` are of existing providers whose generation the caller has checked; `claims`
// name existing providers and classes. Expected generations come from `state`.
ReshapePlan plan_reshape(const scheduler::State& state,
                         const std::vector<InventoryReplacement>& replacements,
                         const std::vector<scheduler::allocation::ConsumerClaim>& claims,
                         std::int64_t now);

}  // namespace vgpu::api
