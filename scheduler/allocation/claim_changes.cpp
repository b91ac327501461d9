#include "scheduler/allocation/claim_changes.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace vgpu::scheduler::allocation {
namespace {

// One entry per (provider, class): a body naming a class twice for a provider adds up.
std::vector<Allocation> normalized(std::vector<Allocation> allocations) {
  std::map<std::pair<ProviderId, ClassId>, std::int64_t> sum;
  for (const Allocation& a : allocations) sum[{a.provider, a.resource_class}] += a.used;
  std::vector<Allocation> out;
  for (const auto& [key, used] : sum)
    if (used > 0) out.push_back({key.first, key.second, used});
  return out;
}

}  // namespace

ChangeSet claim_changes(const State& state, const std::vector<ConsumerClaim>& claims,
                        std::int64_t now) {
  std::set<ProviderId> bumped;
  std::vector<Change> consumer_changes;
  for (const ConsumerClaim& claim : claims) {
    const Consumer* old = state.consumer(claim.consumer);
    std::vector<Allocation> allocations = normalized(claim.allocations);
    if (allocations.empty()) {
      if (!old) continue;  // nothing held, nothing to release
      for (const Allocation& a : old->allocations) bumped.insert(a.provider);
      consumer_changes.emplace_back(DeleteConsumer{old->id, old->uuid, old->generation});
      continue;
    }
    for (const Allocation& a : allocations) bumped.insert(a.provider);
    Consumer next;
    next.id = old ? old->id : 0;
    next.uuid = claim.consumer;
    next.project_id = claim.project_id;
    next.user_id = claim.user_id;
    next.consumer_type = !claim.consumer_type.empty() ? claim.consumer_type
                         : old                        ? old->consumer_type
                                                      : std::string();
    next.generation = old ? old->generation + 1 : 1;
    next.allocations = std::move(allocations);
    next.created_at = old ? old->created_at : now;
    next.updated_at = now;
    consumer_changes.emplace_back(PutConsumer{
        std::move(next), old ? std::optional<std::int64_t>(old->generation) : std::nullopt});
  }
  ChangeSet changes;
  // Providers first and in id order: concurrent writers lock rows in one order (no deadlock).
  for (ProviderId id : bumped) {
    const Provider* p = state.provider(id);
    if (!p) continue;
    Provider next = *p;
    next.generation = p->generation + 1;
    changes.add(UpdateProvider{std::move(next), p->generation, 0u});
  }
  for (Change& c : consumer_changes) changes.changes.push_back(std::move(c));
  return changes;
}

ChangeSet release_changes(const Consumer& consumer) {
  ChangeSet changes;
  changes.add(DeleteConsumer{consumer.id, consumer.uuid, consumer.generation});
  return changes;
}

}  // namespace vgpu::scheduler::allocation
