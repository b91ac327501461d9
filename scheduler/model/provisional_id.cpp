#include "scheduler/model/provisional_id.hpp"

#include <algorithm>
#include <type_traits>
#include <variant>

namespace vgpu::scheduler {
namespace {

enum class Kind { none, resource_class, trait, provider };

struct Created {
  Kind kind = Kind::none;
  std::int64_t id = 0;
};

Created created_by(const Change& change) {
  if (const auto* c = std::get_if<AddResourceClass>(&change)) return {Kind::resource_class, c->id};
  if (const auto* c = std::get_if<AddTrait>(&change)) return {Kind::trait, c->id};
  if (const auto* c = std::get_if<CreateProvider>(&change)) return {Kind::provider, c->provider.id};
  return {};
}

void bind_in(Provider& p, const Created& made, std::int64_t placeholder) {
  switch (made.kind) {
    case Kind::provider:
      if (p.parent == placeholder) p.parent = made.id;
      if (p.root == placeholder) p.root = made.id;
      break;
    case Kind::resource_class: {
      const ClassId from = static_cast<ClassId>(placeholder);
      if (const Inventory* inv = p.inventories.find(from)) {
        const Inventory copy = *inv;
        p.inventories.erase(from);
        p.inventories[static_cast<ClassId>(made.id)] = copy;
      }
      break;
    }
    case Kind::trait: {
      auto it = std::find(p.traits.begin(), p.traits.end(), static_cast<TraitId>(placeholder));
      if (it == p.traits.end()) break;
      *it = static_cast<TraitId>(made.id);
      std::sort(p.traits.begin(), p.traits.end());
      p.traits.erase(std::unique(p.traits.begin(), p.traits.end()), p.traits.end());
      break;
    }
    case Kind::none:
      break;
  }
}

Provider* provider_in(Change& change) {
  if (auto* c = std::get_if<CreateProvider>(&change)) return &c->provider;
  if (auto* c = std::get_if<UpdateProvider>(&change)) return &c->provider;
  return nullptr;
}

bool holds_provisional(const Provider& p) {
  if (is_provisional(p.parent) || is_provisional(p.root)) return true;
  for (const auto& [cls, inv] : p.inventories)
    if (is_provisional(cls)) return true;
  return std::any_of(p.traits.begin(), p.traits.end(), [](TraitId t) { return is_provisional(t); });
}

}  // namespace

void bind_provisional_id(ChangeSet& changes, std::size_t index) {
  if (index >= changes.changes.size()) return;
  const Created made = created_by(changes.changes[index]);
  if (made.kind == Kind::none) return;
  const std::int64_t placeholder = provisional_id(index);
  for (std::size_t i = index + 1; i < changes.changes.size(); ++i)
    if (Provider* p = provider_in(changes.changes[i])) bind_in(*p, made, placeholder);
}

bool has_provisional_ids(const ChangeSet& changes) {
  for (const Change& c : changes.changes) {
    if (const auto* cp = std::get_if<CreateProvider>(&c); cp && holds_provisional(cp->provider))
      return true;
    if (const auto* up = std::get_if<UpdateProvider>(&c); up && holds_provisional(up->provider))
      return true;
  }
  return false;
}

}  // namespace vgpu::scheduler
