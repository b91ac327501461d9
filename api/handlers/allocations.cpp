// /allocations/{consumer_uuid}: show, replace and delete one consumer's allocations; and the
// registration of every allocation route.
#include "api/handler_util.hpp"
#include "api/handlers/allocation_claims.hpp"
#include "api/handlers/allocation_handlers.hpp"
#include "api/handlers/allocation_schemas.hpp"
#include "api/routes.hpp"
#include "scheduler/allocation/claim_changes.hpp"
#include "service/store/store.hpp"

namespace vgpu::api {
namespace {

Response show_consumer_allocations(Context& ctx) {
  check_accept_json(ctx);
  // Upstream cannot tell an unknown consumer from one without allocations: both are empty.
  const scheduler::Consumer* c = nullptr;
  if (auto uuid = scheduler::Uuid::parse(ctx.param("consumer_uuid"))) c = ctx.state->consumer(*uuid);
  nlohmann::json allocations = nlohmann::json::object();
  nlohmann::json body;
  if (c) {
    for (const scheduler::Allocation& a : c->allocations) {
      const scheduler::Provider* p = ctx.state->provider(a.provider);
      if (!p) continue;
      nlohmann::json& entry = allocations[p->uuid.str()];
      entry["generation"] = p->generation;
      entry["resources"][*ctx.state->classes().name_of(a.resource_class)] = a.used;
    }
  }
  body["allocations"] = std::move(allocations);
  if (c && ctx.at_least(1, 12)) {
    body["project_id"] = c->project_id;
    body["user_id"] = c->user_id;
    if (ctx.at_least(1, 28)) body["consumer_generation"] = c->generation;
    if (ctx.at_least(1, 38))
      body["consumer_type"] = c->consumer_type.empty() ? "unknown" : c->consumer_type;
  }
  Response r = json_response(200, body);
  set_cache_headers(ctx, r, c ? c->updated_at : now_unix());
  return r;
}

Response put_consumer_allocations(Context& ctx) {
  require_json_content(ctx);
  const std::string& text = ctx.param("consumer_uuid");
  const auto uuid = scheduler::Uuid::parse(text);
  if (!uuid) throw bad_request("Malformed consumer_uuid: " + text);
  const nlohmann::json data = parse_body(ctx, put_allocations_schema(ctx.version));
  commit_claims(ctx, {consumer_request(ctx, *uuid, data)}, ClaimForm::kPut);
  return empty_response(204);
}

Response delete_consumer_allocations(Context& ctx) {
  const std::string& text = ctx.param("consumer_uuid");
  const scheduler::Consumer* c = nullptr;
  if (auto uuid = scheduler::Uuid::parse(text)) c = ctx.state->consumer(*uuid);
  if (!c) throw not_found("No allocations for consumer '" + text + "'");
  scheduler::ChangeSet changes = scheduler::allocation::release_changes(*c);
  release_seats(*c, changes);  // in the same transaction, checked by the consumer generation
  try {
    ctx.store.commit(changes);
  } catch (const store::Conflict&) {
    // Changed or gone since our snapshot: upstream reports a vanished allocation as 404.
    throw not_found("Allocation for consumer with id " + text +
                    " not found. error: Allocations changed while deleting them.");
  }
  return empty_response(204);
}

}  // namespace

void add_allocation_routes(Router& router) {
  const std::string one = "/allocations/{consumer_uuid}";
  router.add({one, "GET", show_consumer_allocations});
  router.add({one, "PUT", put_consumer_allocations});
  router.add({one, "DELETE", delete_consumer_allocations});
  router.add({"/allocations", "POST", post_allocations, {1, 13}});
  router.add({"/resource_providers/{uuid}/allocations", "GET", provider_allocations});
}

}  // namespace vgpu::api
