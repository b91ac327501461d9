#pragma once
// The filters of GET /resource_providers, as a pure predicate over one provider of a snapshot.
// Candidate search (allocation candidates) reuses the trait, aggregate and resource parts.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scheduler/model/ids.hpp"
#include "scheduler/model/state.hpp"
#include "scheduler/model/uuid.hpp"

namespace vgpu::scheduler {

struct TraitRule {
  std::vector<std::vector<TraitId>> required_any;  // every inner list: at least one trait
  std::vector<TraitId> forbidden;                  // none of these
  bool empty() const { return required_any.empty() && forbidden.empty(); }
};

struct AggregateRule {
  std::vector<std::vector<Uuid>> member_of_any;  // every inner list: member of at least one
  std::vector<Uuid> forbidden;                   // member of none
  bool empty() const { return member_of_any.empty() && forbidden.empty(); }
};

struct ProviderFilter {
  std::optional<std::string> name;
  std::optional<Uuid> uuid;
  std::optional<ProviderId> in_tree_root;  // root of the tree the provider must be in
  TraitRule traits;
  AggregateRule aggregates;
  std::vector<std::pair<ClassId, std::int64_t>> resources;  // amounts that must fit
};

bool satisfies(const Provider& p, const TraitRule& rule);
bool satisfies(const Provider& p, const AggregateRule& rule);
// Whether `amount` of class `rc` could be allocated now: capacity left and the unit rules
// (min_unit <= amount <= max_unit, amount a multiple of step_size).
bool can_fit(const Provider& p, ClassId rc, std::int64_t amount);
bool matches(const Provider& p, const ProviderFilter& filter);

// The providers of the snapshot that match, ordered by id.
std::vector<const Provider*> find_providers(const State& state, const ProviderFilter& filter);

}  // namespace vgpu::scheduler
