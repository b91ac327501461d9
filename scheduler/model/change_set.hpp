#pragma once
// One write, described as the entities it creates, replaces or removes. The store turns it into
// one database transaction (with generation checks in SQL); once that commits, State applies the
// very same ChangeSet to make the next in-memory snapshot. Ids of new entities are filled in by
// the store.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "scheduler/model/consumer.hpp"
#include "scheduler/model/ids.hpp"
#include "scheduler/model/managed_gpu.hpp"
#include "scheduler/model/provider.hpp"

namespace vgpu::scheduler {

struct AddResourceClass {
  std::string name;
  ClassId id = 0;  // out: assigned by the store
};
struct RemoveResourceClass {
  ClassId id = 0;
};
struct RenameResourceClass {
  ClassId id = 0;
  std::string name;
};
struct AddTrait {
  std::string name;
  TraitId id = 0;  // out
};
struct RemoveTrait {
  TraitId id = 0;
};

// Which parts of a provider an UpdateProvider rewrites in the database. The generation is always
// checked and bumped; a claim (allocation change) rewrites none of the parts.
enum ProviderPart : unsigned {
  kProviderFields = 1u,       // name, parent
  kProviderInventories = 2u,
  kProviderTraits = 4u,
  kProviderAggregates = 8u,
  kProviderAll = 15u,
};

struct CreateProvider {
  Provider provider;  // id is out; generation starts at 0
};
struct UpdateProvider {
  Provider provider;                 // the new value; its generation is expected_generation + 1
  std::int64_t expected_generation;  // checked against the database
  unsigned parts = kProviderAll;
  // Placement does not bump the generation for a rename or re-parent (PUT /resource_providers);
  // the generation is still checked.
  bool bump_generation = true;
};
struct DeleteProvider {
  ProviderId id = kNoProvider;
  std::int64_t expected_generation = 0;
};

// Replaces all of a consumer's allocations (and its project, user and type). A new consumer
// (expected_generation empty) is inserted and fails on a taken uuid; an existing one is matched
// on its expected generation in SQL. The value's generation is expected + 1 (1 for a new one).
// Every provider whose allocations grow comes with an UpdateProvider (parts = 0) in the same
// ChangeSet, so that concurrent claims on one provider conflict in the database.
//
// Licence seats move with the consumer: seat_changes are the differences between the seats it
// held and consumer.seats, per edition. The store applies each as a conditional update of the
// pool's counter (refused, as a kLicence conflict, when a positive change would take the pool
// past total - reserve), so no pool is over-committed across requests or service instances.
struct SeatChange {
  std::uint8_t edition = 0;   // vgpu::Edition
  std::int64_t delta = 0;     // > 0 takes seats, < 0 gives them back
  bool use_reserve = false;   // may dig into the pool's reserve (an admin's claim)
};
struct PutConsumer {
  Consumer consumer;  // allocations non-empty; id is out for a new consumer
  std::optional<std::int64_t> expected_generation;
  std::vector<SeatChange> seat_changes;
};
// Removes a consumer and its allocations, vGPU assignments and seats (generation checked);
// seat_changes give its seats back.
struct DeleteConsumer {
  ConsumerId id = 0;
  Uuid uuid;
  std::int64_t expected_generation = 0;
  std::vector<SeatChange> seat_changes;
};

// Creates or replaces a host of the vGPU layer and its GPUs as a whole (GPUs not listed stop
// being managed). The providers themselves are written by Create/UpdateProvider changes earlier
// in the same ChangeSet; uuids tie them together (ids of new providers are only known once the
// store has inserted them).
struct PutManagedHost {
  ManagedHost host;
  std::vector<ManagedGpu> gpus;  // `placed` and `placed_by` are ignored (derived)
};
// Replaces the configured totals and reserves of the licence pools (`used` is not written:
// it follows the seats held).
struct SetLicencePools {
  LicencePools pools;
};

using Change = std::variant<AddResourceClass, RemoveResourceClass, RenameResourceClass, AddTrait,
                            RemoveTrait, CreateProvider, UpdateProvider, DeleteProvider,
                            PutConsumer, DeleteConsumer, PutManagedHost, SetLicencePools>;

struct ChangeSet {
  std::vector<Change> changes;

  template <typename T>
  T& add(T change) {
    changes.emplace_back(std::move(change));
    return std::get<T>(changes.back());
  }
  bool empty() const { return changes.empty(); }
};

}  // namespace vgpu::scheduler
