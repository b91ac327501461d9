// /vgpu/v1/licenses: the licence seat pools per edition (total, reserve, used, free) and the
// counting unit; PUT replaces the totals and reserves (`used` follows the seats held).
#include "api/handler_util.hpp"
#include "api/handlers/vgpu_routes.hpp"
#include "api/vgpu_json.hpp"
#include "service/store/store.hpp"

namespace vgpu::api {
namespace {

namespace sv = scheduler::vgpu;

constexpr int kMaxAttempts = 5;

Response show_pools(const Context& ctx) {
  return json_response(200, licence_pools_json(ctx.state->licence_pools(), ctx.vgpu->licences));
}

Response get_licences(Context& ctx) {
  check_accept_json(ctx);
  static const JsonSchema query_schema(
      R"({"type": "object", "properties": {}, "additionalProperties": false})");
  validate_query(ctx, query_schema);
  return show_pools(ctx);
}

Response put_licences(Context& ctx) {
  require_json_content(ctx);
  static const JsonSchema schema(kLicencePoolsSchema);
  const nlohmann::json body = parse_body(ctx, schema);
  sv::LicencePools wanted = licence_pools_from_json(body);
  if (auto error = sv::validate(wanted)) throw bad_request("Invalid licence pools: " + *error);
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    const sv::LicencePools& current = ctx.state->licence_pools();
    for (int e = 0; e < sv::kEditionCount; ++e) {
      const auto edition = static_cast<sv::Edition>(e);
      const sv::LicencePool& now = current[edition];
      wanted[edition].used = now.used;
      // Seats already held stay held: a pool cannot shrink below them.
      if (wanted[edition].total && *wanted[edition].total < now.used)
        throw conflict("Unable to set licence pool " + std::string(sv::to_string(edition)) +
                           ": total " + std::to_string(*wanted[edition].total) + " is below the " +
                           std::to_string(now.used) + " seats in use; release seats first",
                       vgpu_code::kLicenceInUse);
    }
    scheduler::ChangeSet changes;
    changes.add(scheduler::SetLicencePools{wanted});
    try {
      ctx.store.commit(changes);
    } catch (const store::Conflict& c) {
      if (c.kind == store::ConflictKind::kLicence)
        throw conflict(std::string("Unable to set the licence pools: ") + c.what(),
                       vgpu_code::kLicenceInUse);
      refresh_snapshot(ctx);
      continue;
    }
    refresh_snapshot(ctx);
    return show_pools(ctx);
  }
  throw conflict("Unable to set the licence pools: other requests kept changing them; retry.",
                 code::kConcurrentUpdate);
}

}  // namespace

void add_vgpu_licence_routes(Router& router) {
  router.add({"/vgpu/v1/licenses", "GET", get_licences});
  router.add({"/vgpu/v1/licenses", "PUT", put_licences});
}

}  // namespace vgpu::api
