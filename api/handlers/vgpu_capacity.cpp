// GET /vgpu/v1/capacity[?profile=A40-4Q]: per profile, how many more vGPUs could be placed
// cluster-wide right now (scheduler/vgpu/capacity.hpp) and the seats left for its edition.
#include "api/handler_util.hpp"
#include "api/handlers/vgpu_routes.hpp"
#include "api/vgpu_json.hpp"
#include "scheduler/vgpu/capacity.hpp"

namespace vgpu::api {
namespace {

namespace sv = scheduler::vgpu;

nlohmann::json capacity_json(const sv::VgpuConfig& config, const sv::ProfileCapacity& c) {
  const sv::Profile& p = config.catalog.profile(c.profile);
  return {{"profile", p.name},
          {"edition", std::string(sv::to_string(p.edition))},
          {"gpus", c.gpus},
          {"free", c.free},
          {"free_standby", c.free_standby},
          {"free_seats", c.free_seats ? nlohmann::json(*c.free_seats) : nlohmann::json(nullptr)},
          {"placeable", c.licence_bound}};
}

Response get_capacity(Context& ctx) {
  check_accept_json(ctx);
  static const JsonSchema query_schema(R"({"type": "object",
      "properties": {"profile": {"type": "string", "minLength": 1, "maxLength": 64}},
      "additionalProperties": false})");
  validate_query(ctx, query_schema);
  nlohmann::json list = nlohmann::json::array();
  if (const std::string* name = ctx.query.get("profile")) {
    const auto profile = ctx.vgpu->catalog.find_profile(*name);
    if (!profile)
      throw bad_request("Invalid query string parameters: unknown profile '" + *name + "'",
                        vgpu_code::kUnknownProfile);
    list.push_back(capacity_json(*ctx.vgpu, sv::profile_capacity(*ctx.state, *ctx.vgpu, *profile)));
  } else {
    for (const sv::ProfileCapacity& c : sv::profile_capacity(*ctx.state, *ctx.vgpu))
      list.push_back(capacity_json(*ctx.vgpu, c));
  }
  return json_response(200, {{"profiles", std::move(list)}});
}

}  // namespace

void add_vgpu_capacity_routes(Router& router) {
  router.add({"/vgpu/v1/capacity", "GET", get_capacity});
}

}  // namespace vgpu::api
