// The consumer half of State: consumers by uuid, and the provider usage derived from their
// allocations. Usage is never stored; it is the sum of the allocations, kept up to date as
// consumers are put and deleted.
#include <algorithm>
#include <unordered_map>

#include "scheduler/model/state.hpp"

namespace vgpu::scheduler {

const Consumer* State::consumer(const Uuid& uuid) const {
  const auto* c = consumers_.find(uuid);
  return c ? c->get() : nullptr;
}

void State::load_consumer(Consumer consumer) {
  std::sort(consumer.allocations.begin(), consumer.allocations.end());
  const Uuid uuid = consumer.uuid;
  consumers_.set(uuid, std::make_shared<const Consumer>(std::move(consumer)));
}

void State::derive_usage() {
  // Gather per provider first so that each provider is copied once, not once per allocation.
  struct Derived {
    FlatMap<ClassId, std::int64_t> usage;
    std::vector<Uuid> consumers;
  };
  std::unordered_map<ProviderId, Derived> derived;
  consumers_.for_each([&](const Uuid& uuid, const std::shared_ptr<const Consumer>& c) {
    for (const Allocation& a : c->allocations) {
      Derived& d = derived[a.provider];
      d.usage[a.resource_class] += a.used;
      if (d.consumers.empty() || d.consumers.back() != uuid) d.consumers.push_back(uuid);
    }
  });
  for (auto& [id, d] : derived) {
    if (!provider(id)) continue;  // foreign keys make this impossible in a real database
    Provider& p = mutable_provider(id);
    std::sort(d.consumers.begin(), d.consumers.end());
    d.consumers.erase(std::unique(d.consumers.begin(), d.consumers.end()), d.consumers.end());
    p.usage = std::move(d.usage);
    p.consumers = std::move(d.consumers);
  }
  derive_vgpu_usage();  // what sits on each managed GPU, and the pools' `used`
}

void State::account(const Consumer& c, int sign) {
  // Allocations are sorted by provider: one provider copy per provider touched.
  for (auto it = c.allocations.begin(); it != c.allocations.end();) {
    const ProviderId pid = it->provider;
    auto end = std::find_if(it, c.allocations.end(),
                            [&](const Allocation& a) { return a.provider != pid; });
    if (provider(pid)) {
      Provider& p = mutable_provider(pid);
      for (; it != end; ++it) {
        std::int64_t& used = p.usage[it->resource_class];
        used += sign * it->used;
        if (used == 0) p.usage.erase(it->resource_class);
      }
      auto pos = std::lower_bound(p.consumers.begin(), p.consumers.end(), c.uuid);
      const bool there = pos != p.consumers.end() && *pos == c.uuid;
      if (sign > 0 && !there) p.consumers.insert(pos, c.uuid);
      if (sign < 0 && there) p.consumers.erase(pos);
    }
    it = end;
  }
}

void State::apply(const PutConsumer& c) {
  // A replaced consumer's old allocations, vGPUs and seats go away before the new ones count.
  if (const Consumer* old = consumer(c.consumer.uuid)) {
    account(*old, -1);
    account_vgpus(*old, -1);
  }
  auto next = std::make_shared<Consumer>(c.consumer);
  std::sort(next->allocations.begin(), next->allocations.end());
  account(*next, 1);
  account_vgpus(*next, 1);
  const Uuid uuid = next->uuid;  // read before the move: argument order is unspecified
  consumers_.set(uuid, std::move(next));
}

void State::apply(const DeleteConsumer& c) {
  const Consumer* old = consumer(c.uuid);
  if (!old) return;
  account(*old, -1);
  account_vgpus(*old, -1);
  consumers_.erase(c.uuid);
}

}  // namespace vgpu::scheduler
