// GET /resource_providers/{uuid}/allocations: every consumer's allocations on one provider.
#include <algorithm>

#include "api/handler_util.hpp"
#include "api/handlers/allocation_handlers.hpp"

namespace vgpu::api {

Response provider_allocations(Context& ctx) {
  check_accept_json(ctx);
  const std::string& text = ctx.param("uuid");
  const scheduler::Provider& p = provider_from_path(
      ctx, "Resource provider '" + text + "' not found: No resource provider with uuid " + text +
               " found");
  nlohmann::json allocations = nlohmann::json::object();
  std::int64_t modified = 0;
  for (const scheduler::Uuid& uuid : p.consumers) {
    const scheduler::Consumer* c = ctx.state->consumer(uuid);
    if (!c) continue;
    nlohmann::json& entry = allocations[uuid.str()];
    for (const scheduler::Allocation& a : c->allocations) {
      if (a.provider != p.id) continue;
      entry["resources"][*ctx.state->classes().name_of(a.resource_class)] = a.used;
    }
    if (ctx.at_least(1, 28)) entry["consumer_generation"] = c->generation;
    modified = std::max(modified, c->updated_at);
  }
  Response r = json_response(200, {{"allocations", std::move(allocations)},
                                   {"resource_provider_generation", p.generation}});
  set_cache_headers(ctx, r, modified);
  return r;
}

}  // namespace vgpu::api
