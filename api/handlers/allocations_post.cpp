// POST /allocations (1.13+): many consumers' allocations in one transaction. Moving a
// consumer's allocations (migration) is one consumer emptied and another filled in one call.
#include "api/handler_util.hpp"
#include "api/handlers/allocation_claims.hpp"
#include "api/handlers/allocation_handlers.hpp"
#include "api/handlers/allocation_schemas.hpp"

namespace vgpu::api {

Response post_allocations(Context& ctx) {
  require_json_content(ctx);
  const nlohmann::json data = parse_body(ctx, post_allocations_schema(ctx.version));
  std::vector<ConsumerRequest> requests;
  for (const auto& [consumer, entry] : data.items()) {
    const auto uuid = scheduler::Uuid::parse(consumer);
    if (!uuid) throw bad_request("Malformed consumer_uuid: " + consumer);
    requests.push_back(consumer_request(ctx, *uuid, entry));
  }
  commit_claims(ctx, requests, ClaimForm::kPost);
  return empty_response(204);
}

}  // namespace vgpu::api
