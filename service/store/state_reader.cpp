#include "service/store/state_reader.hpp"

#include <algorithm>
#include <unordered_map>

#include "service/store/database.hpp"
#include "service/store/vgpu_reader.hpp"

namespace vgpu::store {
namespace {

using scheduler::Provider;
using scheduler::ProviderId;

scheduler::Uuid parse_uuid(const std::string& text, const char* what) {
  auto u = scheduler::Uuid::parse(text);
  if (!u) throw Unavailable(std::string("database holds an invalid ") + what + " uuid: " + text);
  return *u;
}

// Consumers with their allocations, vGPUs and seats; the providers' usage (and what sits on
// each managed GPU) is derived from them afterwards.
void read_consumers(sql::Session& s, const scheduler::vgpu::Catalog& catalog,
                    scheduler::State& state) {
  std::unordered_map<scheduler::ConsumerId, scheduler::Consumer> consumers;
  s.query("SELECT id, uuid, project_id, user_id, consumer_type, generation, created_at, "
          "updated_at FROM consumers",
          {}, [&](const sql::Row& r) {
            scheduler::Consumer c;
            c.id = r.integer(0);
            c.uuid = parse_uuid(r.text(1), "consumer");
            c.project_id = r.text(2);
            c.user_id = r.text(3);
            c.consumer_type = r.is_null(4) ? std::string() : r.text(4);
            c.generation = r.integer(5);
            c.created_at = r.integer(6);
            c.updated_at = r.integer(7);
            consumers.emplace(c.id, std::move(c));
          });
  s.query("SELECT consumer_id, resource_provider_id, resource_class_id, used FROM allocations",
          {}, [&](const sql::Row& r) {
            consumers.at(r.integer(0)).allocations.push_back(
                {r.integer(1), static_cast<scheduler::ClassId>(r.integer(2)), r.integer(3)});
          });
  read_consumer_vgpus(s, catalog, consumers);
  for (auto& [id, c] : consumers) state.load_consumer(std::move(c));
}

}  // namespace

scheduler::State read_state(sql::Session& s, const scheduler::vgpu::Catalog& catalog) {
  scheduler::State state;
  s.query("SELECT id, name FROM resource_classes", {}, [&](const sql::Row& r) {
    state.load_class(static_cast<scheduler::ClassId>(r.integer(0)), r.text(1));
  });
  s.query("SELECT id, name FROM traits", {}, [&](const sql::Row& r) {
    state.load_trait(static_cast<scheduler::TraitId>(r.integer(0)), r.text(1));
  });

  // Providers are gathered first, then their inventories, traits and aggregates are attached.
  std::unordered_map<ProviderId, Provider> providers;
  s.query("SELECT id, uuid, name, generation, parent_provider_id, created_at, updated_at "
          "FROM resource_providers",
          {}, [&](const sql::Row& r) {
            Provider p;
            p.id = r.integer(0);
            p.uuid = parse_uuid(r.text(1), "provider");
            p.name = r.text(2);
            p.generation = r.integer(3);
            p.parent = r.is_null(4) ? scheduler::kNoProvider : r.integer(4);
            p.created_at = r.integer(5);
            p.updated_at = r.integer(6);
            providers.emplace(p.id, std::move(p));
          });
  // Rows whose provider is missing cannot exist (foreign keys), hence at().
  s.query("SELECT resource_provider_id, resource_class_id, total, reserved, min_unit, max_unit, "
          "step_size, allocation_ratio FROM inventories",
          {}, [&](const sql::Row& r) {
            scheduler::Inventory inv;
            inv.total = r.integer(2);
            inv.reserved = r.integer(3);
            inv.min_unit = r.integer(4);
            inv.max_unit = r.integer(5);
            inv.step_size = r.integer(6);
            inv.allocation_ratio = r.real(7);
            providers.at(r.integer(0)).inventories[static_cast<scheduler::ClassId>(r.integer(1))] =
                inv;
          });
  s.query("SELECT resource_provider_id, trait_id FROM resource_provider_traits", {},
          [&](const sql::Row& r) {
            providers.at(r.integer(0)).traits.push_back(
                static_cast<scheduler::TraitId>(r.integer(1)));
          });
  s.query("SELECT resource_provider_id, aggregate_uuid FROM resource_provider_aggregates", {},
          [&](const sql::Row& r) {
            providers.at(r.integer(0)).aggregates.push_back(parse_uuid(r.text(1), "aggregate"));
          });

  for (auto& [id, p] : providers) {
    // Provider keeps both lists sorted for binary search.
    std::sort(p.traits.begin(), p.traits.end());
    std::sort(p.aggregates.begin(), p.aggregates.end());
    state.load_provider(std::move(p));
  }
  state.link_trees();
  read_vgpu_layer(s, catalog, state);
  read_consumers(s, catalog, state);
  state.derive_usage();
  return state;
}

}  // namespace vgpu::store
