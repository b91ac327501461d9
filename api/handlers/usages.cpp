// GET /resource_providers/{uuid}/usages: what is allocated, per class of the provider's
// inventory (zero where nothing is). GET /usages (1.9+): what a project (and user) holds, per
// class; from 1.38 grouped by consumer type with a count of consumers.
#include <map>
#include <set>

#include "api/handler_util.hpp"
#include "api/routes.hpp"

namespace vgpu::api {
namespace {

const JsonSchema& total_usages_schema(const Context& ctx) {
  static const std::string common = R"({"type": "object", "properties": {
      "project_id": {"type": "string", "minLength": 1, "maxLength": 255},
      "user_id": {"type": "string", "minLength": 1, "maxLength": 255})";
  static const JsonSchema v1_9(common + R"(}, "required": ["project_id"],
      "additionalProperties": false})");
  static const JsonSchema v1_38(common + R"(, "consumer_type": {"type": "string",
      "pattern": "^[A-Z0-9_]+$|^all|^unknown$", "minLength": 1, "maxLength": 255}},
      "required": ["project_id"], "additionalProperties": false})");
  return ctx.at_least(1, 38) ? v1_38 : v1_9;
}

struct Group {
  std::map<std::string, std::int64_t> usage;  // class name -> used
  std::set<scheduler::Uuid> consumers;
};

Response total_usages(Context& ctx) {
  check_accept_json(ctx);
  validate_query(ctx, total_usages_schema(ctx));
  const std::string project = *ctx.query.get("project_id");
  const std::string* user = ctx.query.get("user_id");
  const bool by_type = ctx.at_least(1, 38);
  const std::string* type = by_type ? ctx.query.get("consumer_type") : nullptr;
  // The group a consumer's usage goes to, or "" to leave it out. "all" and "unknown" are
  // upstream's reserved words; "unknown" is also how a consumer without a type is shown.
  auto group_of = [&](const scheduler::Consumer& c) -> std::string {
    const std::string own = c.consumer_type.empty() ? "unknown" : c.consumer_type;
    if (!by_type) return "-";
    if (!type) return own;
    if (*type == "all") return "all";
    if (*type == "unknown") return c.consumer_type.empty() ? "unknown" : "";
    return c.consumer_type == *type ? own : "";
  };
  std::map<std::string, Group> groups;
  ctx.state->for_each_consumer([&](const scheduler::Consumer& c) {
    if (c.project_id != project || (user && c.user_id != *user)) return;
    const std::string g = group_of(c);
    if (g.empty()) return;
    Group& group = groups[g];
    for (const scheduler::Allocation& a : c.allocations)
      group.usage[*ctx.state->classes().name_of(a.resource_class)] += a.used;
    if (!c.allocations.empty()) group.consumers.insert(c.uuid);
  });
  nlohmann::json usages = nlohmann::json::object();
  for (const auto& [name, group] : groups) {
    if (!by_type) {
      for (const auto& [rc, used] : group.usage) usages[rc] = used;
      continue;
    }
    nlohmann::json& entry = usages[name];
    for (const auto& [rc, used] : group.usage) entry[rc] = used;
    entry["consumer_count"] = group.consumers.size();
  }
  Response r = json_response(200, {{"usages", std::move(usages)}});
  set_cache_headers(ctx, r, now_unix());
  return r;
}

Response provider_usages(Context& ctx) {
  check_accept_json(ctx);
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
  router.add({"/usages", "GET", total_usages, {1, 9}});
}

}  // namespace vgpu::api
