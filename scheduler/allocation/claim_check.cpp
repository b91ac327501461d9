#include "scheduler/allocation/claim_check.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace vgpu::scheduler::allocation {
namespace {

using Key = std::pair<ProviderId, ClassId>;

CheckResult refuse(Refusal why, std::vector<ClassId> classes, std::vector<ProviderId> providers) {
  return {why, std::move(classes), std::move(providers)};
}

// What the claimed consumers hold now: it is released by the claim, so it does not count.
std::map<Key, std::int64_t> released(const State& state,
                                     const std::vector<ConsumerClaim>& claims) {
  std::map<Key, std::int64_t> out;
  std::set<Uuid> seen;
  for (const ConsumerClaim& claim : claims) {
    if (!seen.insert(claim.consumer).second) continue;
    if (const Consumer* c = state.consumer(claim.consumer)) {
      for (const Allocation& a : c->allocations) out[{a.provider, a.resource_class}] += a.used;
    }
  }
  return out;
}

}  // namespace

CheckResult check_claims(const State& state, const std::vector<ConsumerClaim>& claims) {
  // As upstream: first, a provider with no inventory of any class in the whole request.
  std::set<ClassId> classes;
  std::set<ProviderId> providers;
  for (const ConsumerClaim& claim : claims) {
    for (const Allocation& a : claim.allocations) {
      classes.insert(a.resource_class);
      providers.insert(a.provider);
    }
  }
  std::vector<ProviderId> bare;
  for (ProviderId id : providers) {
    const Provider* p = state.provider(id);
    const bool any = p && std::any_of(classes.begin(), classes.end(),
                                      [&](ClassId c) { return p->inventories.contains(c); });
    if (!any) bare.push_back(id);
  }
  if (!bare.empty())
    return refuse(Refusal::kNoInventory, {classes.begin(), classes.end()}, std::move(bare));

  const auto freed = released(state, claims);
  std::map<Key, std::int64_t> requested;  // running sum over the claim, per provider and class
  for (const ConsumerClaim& claim : claims) {
    for (const Allocation& a : claim.allocations) {
      if (a.used == 0) continue;
      const Provider& p = *state.provider(a.provider);
      const Inventory* inv = p.inventories.find(a.resource_class);
      if (!inv) return refuse(Refusal::kNoInventory, {a.resource_class}, {a.provider});
      const std::int64_t max_unit = inv->max_unit > 0 ? inv->max_unit : inv->total;
      if (a.used < inv->min_unit || a.used > max_unit ||
          (inv->step_size > 0 && a.used % inv->step_size != 0))
        return refuse(Refusal::kConstraints, {a.resource_class}, {a.provider});
      const Key key{a.provider, a.resource_class};
      const std::int64_t* now = p.usage.find(a.resource_class);
      const auto f = freed.find(key);
      const std::int64_t used = (now ? *now : 0) - (f == freed.end() ? 0 : f->second);
      const std::int64_t sum = requested[key] += a.used;
      const std::int64_t capacity = inv->capacity();
      if (used + a.used > capacity || used + sum > capacity)
        return refuse(Refusal::kCapacity, {a.resource_class}, {a.provider});
    }
  }
  return {};
}

}  // namespace vgpu::scheduler::allocation
