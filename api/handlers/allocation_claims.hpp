#pragma once
// What PUT /allocations/{consumer} and POST /allocations share: reading one consumer's part of
// a body (every microversion form), upstream's consumer checks (project and user defaults,
// consumer generations), resolving providers and classes, the capacity rules, and the
// generation-checked commit with upstream's server-side retry on provider conflicts.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/context.hpp"

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

enum class ClaimForm { kPut, kPost };  // upstream words a few errors differently

// Checks and commits all consumers' allocations in one transaction; throws ApiError.
void commit_claims(Context& ctx, const std::vector<ConsumerRequest>& requests, ClaimForm form);

}  // namespace vgpu::api
