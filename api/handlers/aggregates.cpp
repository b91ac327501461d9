// /resource_providers/{uuid}/aggregates (1.1+; with generations from 1.19).
#include <algorithm>

#include "api/handler_util.hpp"
#include "api/routes.hpp"
#include "service/store/store.hpp"

namespace vgpu::api {
namespace {

using scheduler::Provider;
using scheduler::Uuid;

constexpr std::string_view kList =
    R"({"type": "array", "items": {"type": "string", "format": "uuid"}, "uniqueItems": true})";

const JsonSchema& schema(const Context& ctx) {
  static const JsonSchema v1_1(kList);
  static const JsonSchema v1_19(R"({"type": "object", "properties": {"aggregates": )" +
                                std::string(kList) +
                                R"(, "resource_provider_generation": {"type": "integer"}},
      "required": ["aggregates", "resource_provider_generation"], "additionalProperties": false})");
  return ctx.at_least(1, 19) ? v1_19 : v1_1;
}

Response send(const Context& ctx, const Provider& p, nlohmann::json aggregates) {
  nlohmann::json body = {{"aggregates", std::move(aggregates)}};
  if (ctx.at_least(1, 19)) body["resource_provider_generation"] = p.generation;
  Response r = json_response(200, body);
  set_cache_headers(ctx, r, now_unix());
  return r;
}

Response get_aggregates(Context& ctx) {
  check_accept_json(ctx);
  const Provider& p = provider_from_path(ctx);
  nlohmann::json list = nlohmann::json::array();
  for (const Uuid& a : p.aggregates) list.push_back(a.str());
  return send(ctx, p, std::move(list));
}

Response set_aggregates(Context& ctx) {
  require_json_content(ctx);
  const Provider& p = provider_from_path(ctx);
  const nlohmann::json data = parse_body(ctx, schema(ctx));
  const bool with_generation = ctx.at_least(1, 19);
  const nlohmann::json& list = with_generation ? data["aggregates"] : data;
  if (with_generation && data["resource_provider_generation"].get<std::int64_t>() != p.generation)
    throw conflict("Resource provider's generation already changed. Please update the generation and try again.",
                   code::kConcurrentUpdate);
  Provider next = p;
  next.aggregates.clear();
  for (const auto& a : list) next.aggregates.push_back(*Uuid::parse(a.get<std::string>()));
  std::sort(next.aggregates.begin(), next.aggregates.end());
  next.aggregates.erase(std::unique(next.aggregates.begin(), next.aggregates.end()), next.aggregates.end());
  // Before 1.19 the aggregates call did not touch the generation.
  const Provider& stored = commit_provider(
      ctx, p, std::move(next),
      {scheduler::kProviderAggregates,
       "Update conflict: Another thread concurrently updated the resource provider data. Please retry your update",
       code::kConcurrentUpdate, with_generation});
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : list) out.push_back(Uuid::parse(a.get<std::string>())->str());
  return send(ctx, stored, std::move(out));
}

}  // namespace

void add_aggregate_routes(Router& router) {
  router.add({"/resource_providers/{uuid}/aggregates", "GET", get_aggregates, {1, 1}});
  router.add({"/resource_providers/{uuid}/aggregates", "PUT", set_aggregates, {1, 1}});
}

}  // namespace vgpu::api
