#pragma once
// What PUT /allocations/{consumer} and POST /allocations share: reading one consumer's part of
// a body (every microversion form), upstream's consumer checks (project and user defaults,
// consumer generations), resolving providers and classes, the capacity rules, and the
// generation-checked commit with upstream's server-side retry on provider conflicts.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "scheduler/allocation/claim.hpp"
#include "scheduler/allocation/claim_check.hpp"
#include "scheduler/model/change_set.hpp"

namespace vgpu::api {

struct ConsumerRequest {
  scheduler::Uuid uuid;
  // provider uuid (as sent) -> (class name, amount), in body order
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::int64_t>>>>
      allocations;
  std::string project_id;
  std::string user_id;
  std::optional<std::int64_t> generation;  // from 1.28; null = "must be new"
  std::string consumer_type;               // from 1.38
};

// One consumer's entry of a validated body (list form before 1.12, dict form after).
ConsumerRequest consumer_request(const Context& ctx, const scheduler::Uuid& consumer,
                                 const nlohmann::json& entry);

// Upstream words a few errors differently per route.
enum class ClaimForm { kPut, kPost, kReshape };

// Checks and commits all consumers' allocations in one transaction; throws ApiError.
void commit_claims(Context& ctx, const std::vector<ConsumerRequest>& requests, ClaimForm form);

// The steps of commit_claims, for writes that change more than allocations (POST /reshaper).
// Each throws ApiError with upstream's status, message and code.
//
// upstream's ensure_consumer (1.28+): the client's consumer generation must be the current one,
// or null for a consumer that does not exist yet.
void check_consumer_generations(const Context& ctx, const scheduler::State& state,
                                const std::vector<ConsumerRequest>& requests);
// Providers (400 when unknown) and classes (400 when unknown) to ids.
std::vector<scheduler::allocation::ConsumerClaim> resolve_claims(
    const Context& ctx, const scheduler::State& state, const std::vector<ConsumerRequest>& requests,
    ClaimForm form);
// 409 "Unable to allocate inventory: ..." for a failed capacity check.
[[noreturn]] void refuse_claims(const scheduler::State& state,
                                const scheduler::allocation::CheckResult& result);

// The vGPU rules (scheduler/vgpu/claim_rules.hpp) on claims that touch the vGPU layer, after
// the plain Placement checks: a broken rule is 409 (placement.undefined_code, as upstream's
// capacity refusals) with a detail naming the rule, the provider and the numbers. Otherwise the
// consumers' vGPU assignments, seats and seat changes are filled into the PutConsumer and
// DeleteConsumer entries of `changes` (what claim_changes made), so that they commit in the
// same transaction. Claims that touch no managed GPU and no consumer holding vGPUs or seats
// leave `changes` as it is, at the cost of one lookup per allocation.
void apply_vgpu_rules(const Context& ctx, const scheduler::State& state,
                      const std::vector<scheduler::allocation::ConsumerClaim>& claims,
                      scheduler::ChangeSet& changes);

// DELETE /allocations/{consumer}: the consumer's seats go back to their pools.
void release_seats(const scheduler::Consumer& consumer, scheduler::ChangeSet& changes);

// Commits prepare(snapshot) with upstream's server-side retry: when the database reports a
// provider generation conflict or a licence pool that cannot grant the seats (kLicence: another
// claim, maybe of another instance, took them), prepare runs again on a newer snapshot (it
// re-checks everything and throws ApiError when the request no longer holds). Other conflicts,
// or too many retries, answer 409 placement.concurrent_update with `conflict_detail` (the
// store's licence message for a pool that stayed full).
void commit_with_retries(Context& ctx,
                         const std::function<scheduler::ChangeSet(const scheduler::State&)>& prepare,
                         const std::string& conflict_detail);

}  // namespace vgpu::api
