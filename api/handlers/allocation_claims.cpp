#include "api/handlers/allocation_claims.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include "api/api_error.hpp"
#include "api/handler_util.hpp"
#include "api/request_mix_tracker.hpp"
#include "scheduler/allocation/claim_changes.hpp"
#include "scheduler/allocation/claim_check.hpp"
#include "scheduler/vgpu/claim_rules.hpp"
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
// How long a retry waits for a snapshot newer than the one that conflicted.
constexpr std::chrono::milliseconds kNewerSnapshotWait{500};

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

// A snapshot other than `used`: the winner of a conflict publishes its own right after its
// commit, and the store reloads after a conflict caused by another instance. Retrying on the
// same snapshot would only conflict again: null when it has not moved on within a bounded wait
// (the database disagrees with memory for another reason), and the caller gives up.
std::shared_ptr<const scheduler::State> newer_snapshot(Context& ctx,
                                                       const scheduler::State* used) {
  using namespace std::chrono_literals;
  const auto deadline = std::chrono::steady_clock::now() + kNewerSnapshotWait;
  auto delay = 100us;
  for (;;) {
    std::shared_ptr<const scheduler::State> state = ctx.store.snapshot();
    if (state.get() != used) return state;
    if (std::chrono::steady_clock::now() >= deadline) return nullptr;
    std::this_thread::sleep_for(delay);
    delay = std::min<std::chrono::microseconds>(delay * 2, 10ms);
  }
}

// The database refused seats the snapshot said were free, and no newer snapshot explains it:
// the store's message names the pool and its numbers.
std::string licence_detail(const scheduler::ChangeSet& changes, const store::Conflict& c) {
  std::string who;
  if (c.change_index < changes.changes.size())
    if (const auto* put = std::get_if<scheduler::PutConsumer>(&changes.changes[c.change_index]))
      who = " for consumer " + put->consumer.uuid.str();
  return "vGPU rule " + std::string(scheduler::vgpu::claim_rule::kLicence) + who + ": " +
         c.what();
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

// The profiles of the vGPUs a claim adds feed the request mix that the fragmentation score
// keeps room for. Counted when the claim is decided, before it commits: a refused or retried
// claim still says what was asked for.
static void observe_new_vgpus(const Context& ctx, const scheduler::State& state,
                       const scheduler::vgpu::ClaimOutcome& outcome) {
  if (!ctx.request_mix) return;
  for (const auto& c : outcome.consumers) {
    std::map<std::int32_t, int> added;
    for (const auto& v : c.vgpus) ++added[v.profile];
    if (const scheduler::Consumer* old = state.consumer(c.consumer))
      for (const auto& v : old->vgpus) --added[v.profile];
    for (const auto& [profile, n] : added) ctx.request_mix->observe(profile, n);
  }
}

void apply_vgpu_rules(const Context& ctx, const scheduler::State& state,
                      const std::vector<ConsumerClaim>& claims, scheduler::ChangeSet& changes) {
  if (!ctx.vgpu || !scheduler::vgpu::touches_vgpu_layer(state, claims)) return;
  // Seats held back as a pool's reserve stay out of reach of claims: under noauth2 every
  // caller, Nova included, is an administrator, so the role cannot tell an operator's claim.
  const scheduler::vgpu::ClaimOutcome outcome =
      scheduler::vgpu::check_vgpu_claims(state, *ctx.vgpu, claims, /*use_reserve=*/false);
  if (outcome.refusal) throw conflict(outcome.refusal->detail, code::kUndefined);
  scheduler::vgpu::fill_vgpu_changes(outcome, changes);
  observe_new_vgpus(ctx, state, outcome);
}

void release_seats(const scheduler::Consumer& consumer, scheduler::ChangeSet& changes) {
  if (consumer.seats.empty()) return;
  for (scheduler::Change& change : changes.changes)
    if (auto* d = std::get_if<scheduler::DeleteConsumer>(&change); d && d->uuid == consumer.uuid)
      d->seat_changes = scheduler::vgpu::release_seat_changes(consumer);
}

void commit_with_retries(Context& ctx,
                         const std::function<scheduler::ChangeSet(const scheduler::State&)>& prepare,
                         const std::string& conflict_detail) {
  std::shared_ptr<const scheduler::State> state = ctx.state;
  for (int attempt = 0;; ++attempt) {
    scheduler::ChangeSet changes = prepare(*state);
    try {
      ctx.store.commit(changes);
      refresh_snapshot(ctx);
      return;
    } catch (const store::Conflict& c) {
      // A provider moved on since our snapshot (another claim, an inventory change), or a
      // licence pool was emptied by another claim: check again on a newer snapshot, as upstream
      // retries. A consumer conflict is the client's.
      const bool provider_conflict =
          c.change_index < changes.changes.size() &&
          std::holds_alternative<scheduler::UpdateProvider>(changes.changes[c.change_index]);
      const bool licence_conflict = c.kind == store::ConflictKind::kLicence;
      const bool retry = (provider_conflict || licence_conflict) && attempt + 1 < kConflictRetries;
      if (retry) state = newer_snapshot(ctx, state.get());
      if (!retry || !state) {
        if (licence_conflict) throw conflict(licence_detail(changes, c), code::kUndefined);
        throw conflict(conflict_detail, code::kConcurrentUpdate);
      }
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
        scheduler::ChangeSet changes = scheduler::allocation::claim_changes(state, claims, now_unix());
        apply_vgpu_rules(ctx, state, claims, changes);
        return changes;
      },
      "Inventory and/or allocations changed while attempting to allocate: Another thread "
      "concurrently updated the data. Please retry your update");
}

}  // namespace vgpu::api
