// POST /reshaper: the handler (upstream's checks and messages) and the plan it commits.
#include "api/handlers/reshaper.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "api/handler_util.hpp"
#include "api/handlers/allocation_claims.hpp"
#include "api/handlers/allocation_schemas.hpp"
#include "api/handlers/inventory_records.hpp"
#include "scheduler/allocation/claim_changes.hpp"

namespace vgpu::api {
namespace {

using nlohmann::json;
using scheduler::ClassId;
using scheduler::ProviderId;
using scheduler::allocation::ConsumerClaim;

constexpr const char* kUuidPattern = "^[0-9a-fA-F-]{36}$";  // upstream's common.UUID_PATTERN

// upstream's POST_RESHAPER_SCHEMA (_V1_34, _V1_38): one PUT inventories body per provider, and
// a POST /allocations body that may be empty.
json reshaper_document(const Version& allocations_version) {
  json allocations = post_allocations_document(allocations_version);
  allocations["minProperties"] = 0;
  return {{"type", "object"},
          {"properties",
           {{"inventories",
             {{"type", "object"},
              {"patternProperties", {{kUuidPattern, put_inventories_schema_document()}}},
              {"minProperties", 1},
              {"additionalProperties", false}}},
            {"allocations", std::move(allocations)}}},
          {"required", json::array({"inventories", "allocations"})},
          {"additionalProperties", false}};
}

const JsonSchema& reshaper_schema(const Version& v) {
  static const JsonSchema s1_30(reshaper_document({1, 28}).dump()),
      s1_34(reshaper_document({1, 34}).dump()), s1_38(reshaper_document({1, 38}).dump());
  if (v >= Version{1, 38}) return s1_38;
  if (v >= Version{1, 34}) return s1_34;
  return s1_30;
}

// What the claimed consumers hold on `provider` now, per class (released by the reshape).
std::map<ClassId, std::int64_t> held_by_claimed(const scheduler::State& state, ProviderId provider,
                                                const std::vector<ConsumerClaim>& claims) {
  std::map<ClassId, std::int64_t> out;
  std::set<scheduler::Uuid> seen;
  for (const ConsumerClaim& claim : claims) {
    if (!seen.insert(claim.consumer).second) continue;
    if (const scheduler::Consumer* c = state.consumer(claim.consumer))
      for (const scheduler::Allocation& a : c->allocations)
        if (a.provider == provider) out[a.resource_class] += a.used;
  }
  return out;
}

// Classes `replacement` removes that still have allocations once the claims are in.
std::vector<ClassId> removed_in_use(const scheduler::State& state,
                                    const InventoryReplacement& replacement,
                                    const std::vector<ConsumerClaim>& claims) {
  const scheduler::Provider& p = *state.provider(replacement.provider);
  std::vector<ClassId> removed;
  for (const auto& [rc, inv] : p.inventories)
    if (!replacement.inventories.contains(rc)) removed.push_back(rc);
  if (removed.empty()) return {};
  const auto released = held_by_claimed(state, p.id, claims);
  std::vector<ClassId> busy;
  for (ClassId rc : removed) {
    const std::int64_t* now = p.usage.find(rc);
    const auto r = released.find(rc);
    std::int64_t after = (now ? *now : 0) - (r == released.end() ? 0 : r->second);
    for (const ConsumerClaim& claim : claims)
      for (const scheduler::Allocation& a : claim.allocations)
        if (a.provider == p.id && a.resource_class == rc) after += a.used;
    if (after > 0) busy.push_back(rc);
  }
  return busy;
}

}  // namespace

ReshapePlan plan_reshape(const scheduler::State& state,
                         const std::vector<InventoryReplacement>& replacements,
                         const std::vector<ConsumerClaim>& claims, std::int64_t now) {
  ReshapePlan plan;
  // Check the claims against the interim inventories: the new ones, plus the old ones of the
  // classes being removed (upstream skips the interim step for an empty new set).
  scheduler::ChangeSet interim;
  for (const InventoryReplacement& r : replacements) {
    if (r.inventories.empty()) continue;
    scheduler::Provider p = *state.provider(r.provider);
    for (const auto& [rc, inv] : r.inventories) p.inventories[rc] = inv;
    const std::int64_t generation = p.generation;
    interim.add(scheduler::UpdateProvider{std::move(p), generation, scheduler::kProviderInventories});
  }
  std::optional<scheduler::State> interim_state;
  if (!interim.empty()) interim_state = state.with_changes(interim);
  plan.refusal = scheduler::allocation::check_claims(interim_state ? *interim_state : state, claims);
  if (!plan.refusal.ok()) return plan;

  // The final inventories may not drop a class that still has allocations.
  for (const InventoryReplacement& r : replacements) {
    plan.in_use_classes = removed_in_use(state, r, claims);
    if (!plan.in_use_classes.empty()) {
      plan.in_use_provider = r.provider;
      return plan;
    }
  }

  // The claim's changes (consumers, and a bump for each provider whose allocations change),
  // with the replaced providers' steps merged in; providers first and in id order, as every
  // writer locks them.
  scheduler::ChangeSet claimed = scheduler::allocation::claim_changes(state, claims, now);
  std::map<ProviderId, std::vector<scheduler::UpdateProvider>> providers;
  std::vector<scheduler::Change> consumers;
  for (scheduler::Change& c : claimed.changes) {
    if (auto* u = std::get_if<scheduler::UpdateProvider>(&c))
      providers[u->provider.id].push_back(std::move(*u));
    else
      consumers.push_back(std::move(c));
  }
  for (const InventoryReplacement& r : replacements) {
    const scheduler::Provider& old = *state.provider(r.provider);
    const int steps = (r.inventories.empty() ? 0 : 1) + (providers.contains(old.id) ? 1 : 0) + 1;
    scheduler::Provider next = old;
    next.inventories = r.inventories;
    next.updated_at = now;
    std::vector<scheduler::UpdateProvider>& chain = providers[old.id];
    chain.clear();
    for (int step = 0; step < steps; ++step) {
      next.generation = old.generation + step + 1;
      const bool last = step + 1 == steps;
      chain.push_back(scheduler::UpdateProvider{
          next, old.generation + step, last ? scheduler::kProviderInventories : 0u});
    }
  }
  for (auto& [id, chain] : providers)
    for (scheduler::UpdateProvider& u : chain) plan.changes.add(std::move(u));
  for (scheduler::Change& c : consumers) plan.changes.changes.push_back(std::move(c));
  return plan;
}

namespace {

std::string join_classes(const scheduler::State& state, const std::vector<ClassId>& classes) {
  std::string out;
  for (ClassId c : classes) out += (out.empty() ? "" : ", ") + *state.classes().name_of(c);
  return out;
}

Response reshape(Context& ctx) {
  require_json_content(ctx);
  const json data = parse_body(ctx, reshaper_schema(ctx.version));

  std::vector<ConsumerRequest> requests;
  for (const auto& [consumer, entry] : data["allocations"].items()) {
    const auto uuid = scheduler::Uuid::parse(consumer);
    if (!uuid) throw bad_request("Malformed consumer_uuid: " + consumer);
    requests.push_back(consumer_request(ctx, *uuid, entry));
  }

  commit_with_retries(
      ctx,
      [&](const scheduler::State& state) {
        std::vector<InventoryReplacement> replacements;
        for (const auto& [rp, body] : data["inventories"].items()) {
          const auto uuid = scheduler::Uuid::parse(rp);
          const scheduler::Provider* p = uuid ? state.provider(*uuid) : nullptr;
          if (!p)
            throw bad_request("Resource provider " + rp + " in inventories not found: " +
                                  "No resource provider with uuid " + rp + " found",
                              code::kProviderNotFound);
          // The early generation check; the database checks it again on commit.
          const std::int64_t given = body["resource_provider_generation"].get<std::int64_t>();
          if (given != p->generation)
            throw conflict("resource provider generation conflict for provider " + rp +
                               ": actual: " + std::to_string(p->generation) +
                               ", given: " + std::to_string(given),
                           code::kConcurrentUpdate);
          replacements.push_back({p->id, {}});
        }
        check_consumer_generations(ctx, state, requests);
        // Inventory classes, then the claims' providers and classes. (Upstream looks the claims'
        // providers up before the inventory classes: a body with both errors gets the other.)
        std::size_t i = 0;
        for (const auto& [rp, body] : data["inventories"].items()) {
          for (const auto& [rc, record] : body["inventories"].items()) {
            const auto id = state.classes().id_of(rc);
            if (!id) throw bad_request("malformed reshaper data: No such resource class " + rc + ".");
            replacements[i].inventories[*id] = inventory_from(record);
          }
          ++i;
        }
        const std::vector<ConsumerClaim> claims =
            resolve_claims(ctx, state, requests, ClaimForm::kReshape);

        ReshapePlan plan = plan_reshape(state, replacements, claims, now_unix());
        if (!plan.refusal.ok()) refuse_claims(state, plan.refusal);
        if (!plan.in_use_classes.empty())
          throw conflict("update conflict: Inventory for '" +
                             join_classes(state, plan.in_use_classes) + "' on resource provider '" +
                             state.provider(plan.in_use_provider)->uuid.str() + "' in use.",
                         code::kInventoryInUse);
        // The vGPU rules see the claims against the snapshot: a reshape changes inventories,
        // not the vGPU layer (which GPUs are managed, what sits on them).
        apply_vgpu_rules(ctx, state, claims, plan.changes);
        return std::move(plan.changes);
      },
      "update conflict: Another thread concurrently updated the data. Please retry your update");
  return empty_response(204);
}

}  // namespace

void add_reshaper_routes(Router& router) {
  router.add({"/reshaper", "POST", reshape, {1, 30}});
}

}  // namespace vgpu::api
