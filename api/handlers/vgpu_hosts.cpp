// /vgpu/v1/hosts: a host reports its GPUs (PUT), operators read them (GET) and drain, put in
// standby or activate a host (PATCH).
#include <functional>

#include "api/handler_util.hpp"
#include "api/handlers/vgpu_routes.hpp"
#include "api/vgpu_json.hpp"
#include "scheduler/vgpu/capacity.hpp"
#include "scheduler/vgpu/host_tree.hpp"
#include "service/store/store.hpp"

namespace vgpu::api {
namespace {

namespace sv = scheduler::vgpu;

// A report may need two commits (host_tree.hpp: new classes, traits or root first) and a
// concurrent writer may move a provider's generation under us: plan again on the new snapshot.
constexpr int kMaxAttempts = 5;

const std::string& hostname_from_path(const Context& ctx) {
  const std::string& hostname = ctx.param("hostname");
  if (!valid_hostname(hostname))
    throw bad_request("Invalid hostname '" + hostname +
                      "': letters, digits, '.', '-' and '_', at most 183 characters");
  return hostname;
}

const scheduler::ManagedHost& host_from_path(const Context& ctx) {
  const std::string& hostname = hostname_from_path(ctx);
  const scheduler::ManagedHost* host = ctx.state->managed_host(hostname);
  if (!host) throw not_found("No vGPU host " + hostname + " has been reported", vgpu_code::kHostNotFound);
  return *host;
}

Response show_host(const Context& ctx, const scheduler::ManagedHost& host, int status) {
  return json_response(status, host_json(*ctx.state, *ctx.vgpu,
                                         sv::summarize_host(*ctx.state, *ctx.vgpu, host)));
}

Response put_host(Context& ctx) {
  require_json_content(ctx);
  const std::string& hostname = hostname_from_path(ctx);
  static const JsonSchema schema(kHostReportSchema);
  const nlohmann::json body = parse_body(ctx, schema);
  const sv::HostReport report = host_report_from_json(body, hostname);
  const bool existed = ctx.state->managed_host(hostname) != nullptr;

  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    sv::HostTreePlan plan =
        sv::plan_host_tree(*ctx.state, *ctx.vgpu, report, now_unix(), [] { return random_uuid(); });
    if (plan.error) {
      if (plan.error_is_conflict)
        throw conflict("Unable to apply the report of host " + hostname + ": " + *plan.error,
                       vgpu_code::kHostInUse);
      throw bad_request("Invalid report of host " + hostname + ": " + *plan.error);
    }
    try {
      if (!plan.changes.changes.empty()) ctx.store.commit(plan.changes);
    } catch (const store::Conflict& c) {
      if (c.kind == store::ConflictKind::kDuplicateName || c.kind == store::ConflictKind::kMissing ||
          c.kind == store::ConflictKind::kGeneration || c.kind == store::ConflictKind::kDuplicateUuid) {
        refresh_snapshot(ctx);  // someone else wrote the same tree: plan again
        continue;
      }
      throw conflict("Unable to apply the report of host " + hostname + ": " + c.what(),
                     vgpu_code::kHostInUse);
    }
    refresh_snapshot(ctx);
    const scheduler::ManagedHost* host = ctx.state->managed_host(hostname);
    if (!host) throw std::runtime_error("the host report committed but the host is not in the state");
    nlohmann::json view =
        host_json(*ctx.state, *ctx.vgpu, sv::summarize_host(*ctx.state, *ctx.vgpu, *host));
    // The vGPUs the host says are live, against what the state says sits on its GPUs: told,
    // not acted on (the allocations are the source of truth; `vgpu-placement check` reports
    // the same).
    if (body.contains("vgpus")) {
      nlohmann::json differences = nlohmann::json::array();
      for (const auto& d : sv::compare_live_vgpus(*ctx.state, *ctx.vgpu, hostname, plan.live_vgpus))
        differences.push_back(
            {{"kind", std::string(sv::to_string(d.kind))}, {"gpu", d.gpu}, {"detail", d.detail}});
      view["live_vgpu_differences"] = std::move(differences);
    }
    return json_response(existed ? 200 : 201, view);
  }
  throw conflict("Unable to apply the report of host " + hostname +
                     ": other requests kept changing its providers; retry.",
                 code::kConcurrentUpdate);
}

Response list_hosts(Context& ctx) {
  check_accept_json(ctx);
  static const JsonSchema query_schema(
      R"({"type": "object", "properties": {}, "additionalProperties": false})");
  validate_query(ctx, query_schema);
  nlohmann::json hosts = nlohmann::json::array();
  for (const sv::HostSummary& s : sv::summarize_hosts(*ctx.state, *ctx.vgpu))
    hosts.push_back(host_json(*ctx.state, *ctx.vgpu, s));
  return json_response(200, {{"hosts", std::move(hosts)}});
}

Response get_host(Context& ctx) {
  check_accept_json(ctx);
  return show_host(ctx, host_from_path(ctx), 200);
}

Response patch_host(Context& ctx) {
  require_json_content(ctx);
  static const JsonSchema schema(kHostPatchSchema);
  const nlohmann::json body = parse_body(ctx, schema);
  const sv::HostPowerState state = *sv::host_power_state_from_string(body["state"].get<std::string>());
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    const scheduler::ManagedHost& host = host_from_path(ctx);
    if (host.state == state) return show_host(ctx, host, 200);
    scheduler::PutManagedHost put;
    put.host = host;
    put.host.state = state;
    put.host.updated_at = now_unix();
    for (const scheduler::Uuid& u : host.gpus) {
      const scheduler::Provider* p = ctx.state->provider(u);
      const scheduler::ManagedGpu* g = p ? ctx.state->managed_gpu(p->id) : nullptr;
      if (g) put.gpus.push_back(*g);
    }
    scheduler::ChangeSet changes;
    changes.add(std::move(put));
    try {
      ctx.store.commit(changes);
    } catch (const store::Conflict&) {
      refresh_snapshot(ctx);
      continue;
    }
    refresh_snapshot(ctx);
    return show_host(ctx, host_from_path(ctx), 200);
  }
  throw conflict("Unable to change the state of host " + ctx.param("hostname") +
                     ": other requests kept changing it; retry.",
                 code::kConcurrentUpdate);
}

}  // namespace

void add_vgpu_host_routes(Router& router) {
  router.add({"/vgpu/v1/hosts", "GET", list_hosts});
  router.add({"/vgpu/v1/hosts/{hostname}", "GET", get_host});
  router.add({"/vgpu/v1/hosts/{hostname}", "PUT", put_host});
  router.add({"/vgpu/v1/hosts/{hostname}", "PATCH", patch_host});
}

}  // namespace vgpu::api
