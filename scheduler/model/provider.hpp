#pragma once
// A resource provider as the in-memory snapshot holds it. Immutable once published: a write
// makes a new Provider and swaps it into the next snapshot.
#include <cstdint>
#include <string>
#include <vector>

#include "scheduler/model/flat_map.hpp"
#include "scheduler/model/ids.hpp"
#include "scheduler/model/inventory.hpp"
#include "scheduler/model/uuid.hpp"

namespace vgpu::scheduler {

struct Provider {
  ProviderId id = kNoProvider;
  Uuid uuid;
  std::string name;
  std::int64_t generation = 0;
  ProviderId parent = kNoProvider;
  ProviderId root = kNoProvider;       // derived from parent links; equals id for a root
  FlatMap<ClassId, Inventory> inventories;
  std::vector<TraitId> traits;         // sorted, unique
  std::vector<Uuid> aggregates;        // sorted, unique
  std::int64_t created_at = 0;         // unix seconds, for Last-Modified
  std::int64_t updated_at = 0;

  // Derived, maintained by State when it applies changes.
  std::vector<ProviderId> children;    // sorted
  FlatMap<ClassId, std::int64_t> usage;  // sum of the consumers' allocations, no zero entries
  std::vector<Uuid> consumers;           // those with allocations here; sorted

  bool has_trait(TraitId t) const;
  bool in_aggregate(const Uuid& a) const;
};

}  // namespace vgpu::scheduler
