// GET /resource_providers/{uuid}/usages: what is allocated, per class of the provider's
// inventory (zero where nothing is).
#include "api/handler_util.hpp"
#include "api/routes.hpp"

namespace vgpu::api {
namespace {

Response provider_usages(Context& ctx) {
  const std::string& uuid = ctx.param("uuid");
  const scheduler::Provider& p = provider_from_path(
      ctx, "No resource provider with uuid " + uuid + " found: No resource provider with uuid " + uuid + " found");
  nlohmann::json usages = nlohmann::json::object();
  for (const auto& [rc, inv] : p.inventories) {
    const std::int64_t* used = p.usage.find(rc);
    usages[*ctx.state->classes().name_of(rc)] = used ? *used : 0;
  }
  Response r = json_response(200, {{"resource_provider_generation", p.generation},
                                   {"usages", std::move(usages)}});
  set_cache_headers(ctx, r, now_unix());
  return r;
}

}  // namespace

void add_usage_routes(Router& router) {
  router.add({"/resource_providers/{uuid}/usages", "GET", provider_usages});
}

}  // namespace vgpu::api
