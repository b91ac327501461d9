#pragma once
// References, inside one ChangeSet, to entities that an earlier change of the same ChangeSet
// creates. The database assigns ids (resource classes, traits, providers) only when it inserts
// the row, yet a write such as a host's first report must create the custom classes and traits,
// the root provider and the children that use them in ONE transaction. So a change refers to
// "whatever id change #k gets" with a provisional id, a negative number that no real id takes
// (ids are database keys, positive; custom classes start at 10000). The store, right after it
// writes change #k, binds its real id into every later change of the set; State then applies
// the bound ChangeSet like any other.
//
// Where a provisional id may appear: Provider::parent and Provider::root, the keys of
// Provider::inventories (classes) and Provider::traits, in CreateProvider and UpdateProvider.
#include <cstddef>
#include <cstdint>

#include "scheduler/model/change_set.hpp"

namespace vgpu::scheduler {

// The id that stands for "the id created by change `index`" until it is bound.
constexpr std::int64_t provisional_id(std::size_t index) {
  return -static_cast<std::int64_t>(index) - 1;
}
constexpr bool is_provisional(std::int64_t id) { return id < 0; }

// After change `index` (an AddResourceClass, AddTrait or CreateProvider) got `id`: replaces
// provisional_id(index) by `id` in the changes after it, keeping sorted lists sorted. Other
// kinds of change at `index` create nothing to bind: a no-op.
void bind_provisional_id(ChangeSet& changes, std::size_t index);

// Whether any change still holds a provisional id (a bug in the caller; the store refuses it).
bool has_provisional_ids(const ChangeSet& changes);

}  // namespace vgpu::scheduler
