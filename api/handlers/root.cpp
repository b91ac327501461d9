// GET / : the version document clients use for discovery (osc-placement, openstacksdk).
#include "api/handler_util.hpp"
#include "api/routes.hpp"

namespace vgpu::api {

void add_root_routes(Router& router) {
  auto home = [](Context& ctx) {
    nlohmann::json version = {
        {"id", "v" + kMinVersion.str()},
        {"min_version", kMinVersion.str()},
        {"max_version", ctx.max_version.str()},
        {"status", "CURRENT"},
        {"links", nlohmann::json::array({{{"rel", "self"}, {"href", ""}}})},
    };
    Response r = json_response(200, {{"versions", nlohmann::json::array({version})}});
    set_cache_headers(ctx, r, now_unix());
    return r;
  };
  router.add({"/", "GET", home});
}

}  // namespace vgpu::api
