#include "scheduler/query/provider_filter.hpp"

namespace vgpu::scheduler {

bool satisfies(const Provider& p, const TraitRule& rule) {
  for (const auto& any : rule.required_any) {
    bool one = false;
    for (TraitId t : any) one = one || p.has_trait(t);
    if (!one) return false;
  }
  for (TraitId t : rule.forbidden)
    if (p.has_trait(t)) return false;
  return true;
}

bool satisfies(const Provider& p, const AggregateRule& rule) {
  for (const auto& any : rule.member_of_any) {
    bool one = false;
    for (const Uuid& a : any) one = one || p.in_aggregate(a);
    if (!one) return false;
  }
  for (const Uuid& a : rule.forbidden)
    if (p.in_aggregate(a)) return false;
  return true;
}

bool can_fit(const Provider& p, ClassId rc, std::int64_t amount) {
  const Inventory* inv = p.inventories.find(rc);
  if (!inv) return false;
  if (amount < inv->min_unit || amount > inv->max_unit) return false;
  if (inv->step_size > 0 && amount % inv->step_size != 0) return false;
  const std::int64_t* used = p.usage.find(rc);
  return inv->capacity() - (used ? *used : 0) >= amount;
}

bool matches(const Provider& p, const ProviderFilter& f) {
  if (f.name && p.name != *f.name) return false;
  if (f.uuid && p.uuid != *f.uuid) return false;
  if (f.in_tree_root && p.root != *f.in_tree_root) return false;
  if (!satisfies(p, f.traits) || !satisfies(p, f.aggregates)) return false;
  for (const auto& [rc, amount] : f.resources)
    if (!can_fit(p, rc, amount)) return false;
  return true;
}

std::vector<const Provider*> find_providers(const State& state, const ProviderFilter& filter) {
  std::vector<const Provider*> out;
  if (filter.uuid) {
    // The common single-provider lookup needs no scan.
    if (const Provider* p = state.provider(*filter.uuid); p && matches(*p, filter)) out.push_back(p);
    return out;
  }
  for (const Provider* p : state.providers())
    if (matches(*p, filter)) out.push_back(p);
  return out;
}

}  // namespace vgpu::scheduler
