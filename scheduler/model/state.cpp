#include "scheduler/model/state.hpp"

#include <algorithm>
#include <type_traits>

namespace vgpu::scheduler {

State::State()
    : classes_(std::make_shared<NameRegistry<ClassId>>()),
      traits_(std::make_shared<NameRegistry<TraitId>>()),
      roots_(std::make_shared<std::vector<ProviderId>>()),
      sharing_(std::make_shared<std::vector<ProviderId>>()) {}

const Provider* State::provider(ProviderId id) const {
  const auto* p = providers_.find(id);
  return p ? p->get() : nullptr;
}

const Provider* State::provider(const Uuid& uuid) const {
  const auto* id = by_uuid_.find(uuid);
  return id ? provider(*id) : nullptr;
}

const Provider* State::provider_named(const std::string& name) const {
  const auto* id = by_name_.find(name);
  return id ? provider(*id) : nullptr;
}

std::vector<const Provider*> State::providers() const {
  std::vector<const Provider*> out;
  out.reserve(providers_.size());
  providers_.for_each([&](ProviderId, const std::shared_ptr<const Provider>& p) {
    out.push_back(p.get());
  });
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->id < b->id; });
  return out;
}

std::vector<const Provider*> State::subtree(ProviderId id) const {
  std::vector<const Provider*> out;
  if (const Provider* top = provider(id)) out.push_back(top);
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (ProviderId child : out[i]->children) {
      if (const Provider* c = provider(child)) out.push_back(c);
    }
  }
  return out;
}

bool State::class_in_use(ClassId id) const {
  bool used = false;
  providers_.for_each([&](ProviderId, const std::shared_ptr<const Provider>& p) {
    if (p->inventories.contains(id) || p->usage.contains(id)) used = true;
  });
  return used;
}

bool State::trait_in_use(TraitId id) const {
  bool used = false;
  providers_.for_each([&](ProviderId, const std::shared_ptr<const Provider>& p) {
    if (p->has_trait(id)) used = true;
  });
  return used;
}

void State::load_class(ClassId id, std::string name) { mutable_classes().add(id, std::move(name)); }
void State::load_trait(TraitId id, std::string name) { mutable_traits().add(id, std::move(name)); }

void State::load_provider(Provider provider) {
  provider.children.clear();
  provider.root = provider.id;
  put_provider(std::make_shared<Provider>(std::move(provider)));  // non-const: see mutable_provider
}

void State::link_trees() {
  // Children lists and roots are derived: build them once all providers are in.
  std::vector<const Provider*> all = providers();
  for (const Provider* p : all) {
    if (p->parent != kNoProvider) set_children(p->parent, p->id, true);
  }
  for (const Provider* p : providers()) {
    if (p->parent == kNoProvider) reroot_subtree(p->id, p->id);
  }
}

State State::with_changes(const ChangeSet& changes) const {
  State next = *this;
  for (const Change& change : changes.changes) {
    std::visit(
        [&](const auto& c) {
          using T = std::decay_t<decltype(c)>;
          if constexpr (std::is_same_v<T, AddResourceClass>) {
            next.mutable_classes().add(c.id, c.name);
          } else if constexpr (std::is_same_v<T, RemoveResourceClass>) {
            next.mutable_classes().remove(c.id);
          } else if constexpr (std::is_same_v<T, RenameResourceClass>) {
            next.mutable_classes().remove(c.id);
            next.mutable_classes().add(c.id, c.name);
          } else if constexpr (std::is_same_v<T, AddTrait>) {
            next.mutable_traits().add(c.id, c.name);
          } else if constexpr (std::is_same_v<T, RemoveTrait>) {
            next.mutable_traits().remove(c.id);
          } else if constexpr (std::is_same_v<T, CreateProvider>) {
            auto p = std::make_shared<Provider>(c.provider);
            p->children.clear();
            const Provider* parent = next.provider(p->parent);
            p->root = parent ? parent->root : p->id;
            next.put_provider(p);
            if (parent) next.set_children(p->parent, p->id, true);
          } else if constexpr (std::is_same_v<T, UpdateProvider>) {
            const Provider* old = next.provider(c.provider.id);
            if (!old) return;
            auto p = std::make_shared<Provider>(c.provider);
            p->children = old->children;
            p->usage = old->usage;
            p->consumers = old->consumers;
            const ProviderId old_parent = old->parent;
            const ProviderId old_root = old->root;
            if (old->name != p->name) next.by_name_.erase(old->name);
            const Provider* parent = next.provider(p->parent);
            p->root = parent ? parent->root : p->id;
            next.put_provider(p);
            if (old_parent != p->parent) {
              if (old_parent != kNoProvider) next.set_children(old_parent, p->id, false);
              if (p->parent != kNoProvider) next.set_children(p->parent, p->id, true);
            }
            if (old_root != p->root) next.reroot_subtree(p->id, p->root);
          } else if constexpr (std::is_same_v<T, DeleteProvider>) {
            const Provider* old = next.provider(c.id);
            if (!old) return;
            const Provider copy = *old;
            next.erase_provider(copy);
            if (copy.parent != kNoProvider) next.set_children(copy.parent, copy.id, false);
            next.forget_managed(copy);
          } else if constexpr (std::is_same_v<T, PutConsumer> ||
                               std::is_same_v<T, DeleteConsumer> ||
                               std::is_same_v<T, PutManagedHost> ||
                               std::is_same_v<T, SetLicencePools>) {
            next.apply(c);
          }
        },
        change);
  }
  return next;
}

namespace {

// Adds or removes one id in a sorted, shared id list; copies the list only when it changes.
void set_member(std::shared_ptr<const std::vector<ProviderId>>& list, ProviderId id, bool present) {
  auto it = std::lower_bound(list->begin(), list->end(), id);
  const bool there = it != list->end() && *it == id;
  if (there == present) return;
  auto copy = std::make_shared<std::vector<ProviderId>>(*list);
  auto pos = copy->begin() + (it - list->begin());
  if (present) copy->insert(pos, id);
  else copy->erase(pos);
  list = std::move(copy);
}

}  // namespace

void State::index_provider(const Provider* before, const Provider* after) {
  const ProviderId id = before ? before->id : after->id;
  const auto sharing_trait = traits_->id_of("MISC_SHARES_VIA_AGGREGATE");
  auto sharing = [&](const Provider* p) { return p && sharing_trait && p->has_trait(*sharing_trait); };
  auto nested = [](const Provider* p) { return p && p->parent != kNoProvider; };
  set_member(roots_, id, after && after->parent == kNoProvider);
  if (sharing(before) != sharing(after)) set_member(sharing_, id, sharing(after));
  nested_count_ = nested_count_ - (nested(before) ? 1 : 0) + (nested(after) ? 1 : 0);
}

void State::put_provider(std::shared_ptr<const Provider> p) {
  const Provider* before = provider(p->id);
  index_provider(before, p.get());
  // Only when they change: each set() copies a shard of the index, and a claim (a generation
  // bump) changes neither the uuid nor the name.
  if (!before || before->uuid != p->uuid) by_uuid_.set(p->uuid, p->id);
  if (!before || before->name != p->name) by_name_.set(p->name, p->id);
  const ProviderId id = p->id;  // read before the move below
  providers_.set(id, std::move(p));
}

void State::erase_provider(const Provider& p) {
  index_provider(&p, nullptr);
  by_uuid_.erase(p.uuid);
  by_name_.erase(p.name);
  providers_.erase(p.id);
}

void State::set_children(ProviderId parent, ProviderId child, bool present) {
  if (!provider(parent)) return;
  Provider& p = mutable_provider(parent);
  auto it = std::lower_bound(p.children.begin(), p.children.end(), child);
  const bool there = it != p.children.end() && *it == child;
  if (present && !there) p.children.insert(it, child);
  if (!present && there) p.children.erase(it);
}

void State::reroot_subtree(ProviderId id, ProviderId root) {
  for (const Provider* p : subtree(id)) {
    if (p->root != root) mutable_provider(p->id).root = root;
  }
}

Provider& State::mutable_provider(ProviderId id) {
  // A provider made earlier in this same with_changes (a claim's generation bump, then its
  // usage) is referenced by this State alone: change it in place instead of copying it again.
  // Its shard held by this map alone and use_count() == 1: no other snapshot, and so no other
  // thread, can see it.
  if (auto* held = providers_.find_exclusive(id); held && held->use_count() == 1) {
    return const_cast<Provider&>(**held);  // created non-const by make_shared<Provider>
  }
  auto copy = std::make_shared<Provider>(*provider(id));
  Provider& ref = *copy;
  providers_.set(id, std::move(copy));  // the map keeps the object alive; ref stays valid
  return ref;
}

// Copied only while shared with another snapshot: loading 300 traits one by one used to copy
// the registry 300 times.
NameRegistry<ClassId>& State::mutable_classes() {
  if (classes_.use_count() == 1) return const_cast<NameRegistry<ClassId>&>(*classes_);
  auto copy = std::make_shared<NameRegistry<ClassId>>(*classes_);
  auto& ref = *copy;
  classes_ = std::move(copy);
  return ref;
}

NameRegistry<TraitId>& State::mutable_traits() {
  if (traits_.use_count() == 1) return const_cast<NameRegistry<TraitId>&>(*traits_);
  auto copy = std::make_shared<NameRegistry<TraitId>>(*traits_);
  auto& ref = *copy;
  traits_ = std::move(copy);
  return ref;
}

}  // namespace vgpu::scheduler
