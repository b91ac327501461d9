#include "api/handlers/allocation_claims.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "api/api_error.hpp"
#include "api/handler_util.hpp"
#include "scheduler/allocation/claim_changes.hpp"
#include "scheduler/allocation/claim_check.hpp"
#include "service/store/store.hpp"

namespace vgpu::api {
namespace {

using scheduler::allocation::CheckResult;
using scheduler::allocation::ConsumerClaim;
using scheduler::allocation::Refusal;

// Upstream's incomplete_consumer_project_id / _user_id: owners of allocations made before 1.8.
constexpr const char* kIncompleteConsumerId = "00000000-0000-0000-0000-000000000000";
// Upstream's allocation_conflict_retry_count.
constexpr int kConflictRetries = 10;

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// upstream's ensure_consumer: the client's consumer generation must be the current one, or null
// for a consumer that does not exist yet.
void check_consumer_generation(const Context& ctx, const scheduler::State& state,
                               const ConsumerRequest& r) {
  if (!ctx.at_least(1, 28)) return;
  const scheduler::Consumer* c = state.consumer(r.uuid);
  if (c && r.generation != c->generation)
    throw conflict("consumer generation conflict - expected " + std::to_string(c->generation) +
                       " but got " + (r.generation ? std::to_string(*r.generation) : "None"),
                   code::kConcurrentUpdate);
  if (!c && r.generation)
    throw conflict("consumer generation conflict - expected null but got " +
                       std::to_string(*r.generation),
                   code::kConcurrentUpdate);
}

}  // namespace

void check_consumer_generations(const Context& ctx, const scheduler::State& state,
                                const std::vector<ConsumerRequest>& requests) {
  for (const ConsumerRequest& r : requests) check_consumer_generation(ctx, state, r);
}

std::vector<ConsumerClaim> resolve_claims(const Context& ctx, const scheduler::State& state,
                                          const std::vector<ConsumerRequest>& requests,
                                          ClaimForm form) {
  std::vector<ConsumerClaim> claims;
  // Providers of every consumer first, then classes, as upstream meets them.
  for (const ConsumerRequest& r : requests) {
    for (const auto& [rp, resources] : r.allocations) {
      const auto uuid = scheduler::Uuid::parse(rp);
      if (!uuid || !state.provider(*uuid))
        throw bad_request("Allocation for resource provider '" + rp + "' that does not exist.");
    }
  }
  for (const ConsumerRequest& r : requests) {
    ConsumerClaim claim{r.uuid, {}, r.project_id, r.user_id, r.consumer_type};
    for (const auto& [rp, resources] : r.allocations) {
      const scheduler::ProviderId pid = state.provider(*scheduler::Uuid::parse(rp))->id;
      for (const auto& [name, used] : resources) {
        const auto cls = state.classes().id_of(name);
        if (!cls) {
          const std::string what = "No such resource class " + name + ".";
          switch (form) {
            case ClaimForm::kPut:
              throw bad_request("Unable to allocate inventory for consumer " + r.uuid.str() +
                                ": " + what);
            case ClaimForm::kPost: throw bad_request("Unable to allocate inventory " + what);
            case ClaimForm::kReshape: throw bad_request("malformed reshaper data: " + what);
          }
        }
        claim.allocations.push_back({pid, *cls, used});
      }
    }
    claims.push_back(std::move(claim));
  }
  return claims;
}

void refuse_claims(const scheduler::State& state, const CheckResult& r) {
  std::vector<std::string> classes, providers;
  for (auto c : r.classes) classes.push_back(*state.classes().name_of(c));
  for (auto p : r.providers) providers.push_back(state.provider(p)->uuid.str());
  std::sort(providers.begin(), providers.end());
  const std::string where =
      "'" + join(classes) + "' on resource provider '" + join(providers) + "'";
  switch (r.refusal) {
    case Refusal::kNoInventory:
      throw conflict("Unable to allocate inventory: Inventory for " + where + " invalid.");
    case Refusal::kConstraints:
      throw conflict("Unable to allocate inventory: Unable to create allocation for " + where +
                     ". The requested amount would violate inventory constraints.");
    default:
      throw conflict("Unable to allocate inventory: Unable to create allocation for " + where +
                     ". The requested amount would exceed the capacity.");
  }
}

void commit_with_retries(Context& ctx,
                         const std::function<scheduler::ChangeSet(const scheduler::State&)>& prepare,
                         const std::string& conflict_detail) {
  for (int attempt = 0;; ++attempt) {
    const std::shared_ptr<const scheduler::State> state =
        attempt == 0 ? ctx.state : ctx.store.snapshot();
    scheduler::ChangeSet changes = prepare(*state);
    try {
      ctx.store.commit(changes);
      refresh_snapshot(ctx);
      return;
    } catch (const store::Conflict& c) {
      // A provider moved on since our snapshot (another claim, an inventory change): check
      // again on a newer snapshot, as upstream retries. A consumer conflict is the client's.
      const bool provider_conflict =
          c.change_index < changes.changes.size() &&
          std::holds_alternative<scheduler::UpdateProvider>(changes.changes[c.change_index]);
      if (!provider_conflict || attempt + 1 >= kConflictRetries)
        throw conflict(conflict_detail, code::kConcurrentUpdate);
      // The winner may not have published its snapshot yet: give it a moment.
      std::this_thread::sleep_for(std::chrono::microseconds(200 * (attempt + 1)));
    }
  }
}

ConsumerRequest consumer_request(const Context& ctx, const scheduler::Uuid& consumer,
                                 const nlohmann::json& entry) {
  ConsumerRequest r;
  r.uuid = consumer;
  const nlohmann::json& allocations = entry["allocations"];
  if (allocations.is_array()) {  // before 1.12: [{"resource_provider": {"uuid"}, "resources"}]
    for (const auto& item : allocations) {
      std::vector<std::pair<std::string, std::int64_t>> resources;
      for (const auto& [rc, n] : item["resources"].items()) resources.emplace_back(rc, n.get<std::int64_t>());
      // Upstream turns the list into a dict by provider: a repeated provider's last entry wins.
      const std::string rp = item["resource_provider"]["uuid"].get<std::string>();
      auto same = std::find_if(r.allocations.begin(), r.allocations.end(),
                               [&](const auto& e) { return e.first == rp; });
      if (same != r.allocations.end()) same->second = std::move(resources);
      else r.allocations.emplace_back(rp, std::move(resources));
    }
  } else {
    for (const auto& [rp, item] : allocations.items()) {
      std::vector<std::pair<std::string, std::int64_t>> resources;
      for (const auto& [rc, n] : item["resources"].items()) resources.emplace_back(rc, n.get<std::int64_t>());
      r.allocations.emplace_back(rp, std::move(resources));
    }
  }
  if (entry.contains("project_id")) {
    r.project_id = entry["project_id"].get<std::string>();
    r.user_id = entry["user_id"].get<std::string>();
  } else {
    r.project_id = r.user_id = kIncompleteConsumerId;
  }
  if (ctx.at_least(1, 28) && entry.contains("consumer_generation") &&
      !entry["consumer_generation"].is_null())
    r.generation = entry["consumer_generation"].get<std::int64_t>();
  if (ctx.at_least(1, 38)) r.consumer_type = entry.value("consumer_type", std::string());
  return r;
}

void commit_claims(Context& ctx, const std::vector<ConsumerRequest>& requests, ClaimForm form) {
  commit_with_retries(
      ctx,
      [&](const scheduler::State& state) {
        check_consumer_generations(ctx, state, requests);
        const std::vector<ConsumerClaim> claims = resolve_claims(ctx, state, requests, form);
        if (const CheckResult check = check_claims(state, claims); !check.ok())
          refuse_claims(state, check);
        return scheduler::allocation::claim_changes(state, claims, now_unix());
      },
      "Inventory and/or allocations changed while attempting to allocate: Another thread "
      "concurrently updated the data. Please retry your update");
}

}  // namespace vgpu::api
