#include "api/placement_api.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/api_error.hpp"
#include "api/context.hpp"
#include "api/handler_util.hpp"
#include "api/microversion.hpp"
#include "api/routes.hpp"
#include "api/handlers/allocation_candidates.hpp"
#include "api/handlers/reshaper.hpp"
#include "api/handlers/vgpu_routes.hpp"
#include "api/request_mix_tracker.hpp"
#include "scheduler/model/uuid.hpp"
#include "scheduler/vgpu/data/default_catalog.hpp"
#include "service/store/store.hpp"

namespace vgpu::api {
namespace {

// webob prefixes an error's detail with a fixed explanation per status; clients and upstream's
// tests match on both parts.
std::string_view explanation(int status) {
  switch (status) {
    case 400: return "The server could not comply with the request since it is either malformed or otherwise incorrect.";
    case 404: return "The resource could not be found.";
    case 409: return "There was a conflict when trying to complete your request.";
    default: return {};
  }
}

std::string new_request_id() { return "req-" + random_uuid().str(); }

// The q value an Accept header gives a media type (exact, type/*, or */*), 0 if none.
double quality(const std::string& accept, std::string_view type) {
  double best = 0;
  int best_specificity = -1;
  std::string_view rest = accept;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const auto semi = item.find(';');
    std::string range(item.substr(0, semi));
    range.erase(0, range.find_first_not_of(' '));
    range.erase(range.find_last_not_of(' ') + 1);
    double q = 1;
    if (semi != std::string_view::npos) {
      const auto qpos = item.find("q=", semi);
      if (qpos != std::string_view::npos) q = std::strtod(std::string(item.substr(qpos + 2)).c_str(), nullptr);
    }
    int specificity = -1;
    if (range == type) specificity = 2;
    else if (range == "*/*") specificity = 0;
    else if (range.size() > 2 && range.substr(range.size() - 2) == "/*" &&
             type.substr(0, range.size() - 1) == range.substr(0, range.size() - 1)) specificity = 1;
    if (specificity > best_specificity) best = q, best_specificity = specificity;
  }
  return best;
}

// webob answers errors in HTML when the client prefers it to JSON; we answer JSON unless the
// client asked for HTML explicitly.
void html_if_preferred(const Request& req, Response& r) {
  const std::string* accept = req.header("Accept");
  if (!accept || r.status < 400) return;
  const double html = quality(*accept, "text/html");
  if (html <= quality(*accept, "application/json")) return;  // "*/*" gets JSON, as upstream
  std::string detail;
  try {
    detail = nlohmann::json::parse(r.body)["errors"][0]["detail"].get<std::string>();
  } catch (const std::exception&) {
    return;
  }
  const std::string title = std::to_string(r.status) + " " + std::string(status_title(r.status));
  r.body = "<html>\n <head>\n  <title>" + title + "</title>\n </head>\n <body>\n  <h1>" + title +
           "</h1>\n  " + detail + "\n </body>\n</html>";
  r.set_header("Content-Type", "text/html; charset=UTF-8");
}

std::string path_of(const std::string& target) { return target.substr(0, target.find('?')); }
std::string query_of(const std::string& target) {
  const auto q = target.find('?');
  return q == std::string::npos ? std::string{} : target.substr(q + 1);
}

}  // namespace

struct PlacementApi::Impl {
  store::Store& store;
  ApiOptions options;
  Router router;
  VersionRange versions{kMinVersion, kMaxSupportedVersion};
  std::unique_ptr<RequestMixTracker> request_mix;  // made once options.vgpu is known

  Response error(int status, std::string_view detail, std::string_view error_code,
                 const std::string& request_id, const Version* version) const {
    nlohmann::json err = {{"status", status},
                          {"title", std::string(status_title(status))},
                          {"detail", std::string(detail)},
                          {"request_id", request_id}};
    // Error codes are part of the body from 1.23 on, as upstream.
    if (version && *version >= Version{1, 23}) err["code"] = std::string(error_code);
    if (status == 406 && !version) {
      err["max_version"] = versions.max.str();
      err["min_version"] = versions.min.str();
    }
    Response r;
    r.status = status;
    r.set_header("Content-Type", "application/json");
    r.body = nlohmann::json{{"errors", nlohmann::json::array({err})}}.dump();
    return r;
  }

  std::string with_explanation(int status, const std::string& detail) const {
    const auto e = explanation(status);
    return e.empty() ? detail : std::string(e) + "\n\n " + detail + "  ";
  }

  Response handle(const Request& req) const {
    const std::string request_id = new_request_id();
    Response r = dispatch(req, request_id);
    html_if_preferred(req, r);
    r.set_header("x-openstack-request-id", request_id);
    return r;
  }

  Response dispatch(const Request& req, const std::string& request_id) const {
    const std::string path = path_of(req.target);
    if (path == "/healthz") return health(true);
    if (path == "/readyz") return health(store.ready());

    // noauth2: every path but the root needs a token "user[:project]".
    Caller caller;
    if (path != "/" && !path.empty()) {
      const std::string* token = req.header("X-Auth-Token");
      if (!token) return error(401, "This server could not verify that you are authorized to access the document you requested.", code::kUndefined, request_id, nullptr);
      const auto colon = token->find(':');
      caller.user_id = token->substr(0, colon);
      caller.project_id = colon == std::string::npos ? caller.user_id : token->substr(colon + 1);
      if (const std::string* roles = req.header("X-Roles")) {
        std::string_view rest = *roles;
        while (!rest.empty()) {
          const auto comma = rest.find(',');
          caller.roles.emplace_back(rest.substr(0, comma));
          rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        }
      } else if (caller.user_id == "admin") {
        caller.roles.push_back("admin");
      }
    }

    // The vGPU API is versioned by its path (/vgpu/v1): the microversion header is ignored
    // there, and the handlers see the highest version (so error bodies always carry a code).
    if (path.rfind(kVgpuPathPrefix, 0) == 0) {
      return route(req, path, versions.max, std::move(caller), request_id);
    }

    const ParsedVersion parsed = parse_version_header(req.header("OpenStack-API-Version"), versions);
    if (parsed.result == VersionParse::kBadFormat)
      return error(400, "Invalid microversion: invalid version string: " + parsed.text,
                   code::kUndefined, request_id, nullptr);
    if (parsed.result == VersionParse::kOutOfRange)
      return error(406, "Invalid microversion: Unacceptable version header: " + parsed.text,
                   code::kUndefined, request_id, nullptr);
    const Version version = parsed.version;

    Response r = route(req, path, version, std::move(caller), request_id);
    r.set_header("OpenStack-API-Version", "placement " + version.str());
    r.set_header("Vary", "openstack-api-version");
    return r;
  }

  Response route(const Request& req, const std::string& path, const Version& version,
                 Caller caller, const std::string& request_id) const {
    // A body needs a type, and a length must be a number (checked before routing, as upstream).
    if (const std::string* length = req.header("Content-Length")) {
      char* end = nullptr;
      const long n = std::strtol(length->c_str(), &end, 10);
      if (length->empty() || *end != '\0')
        return error(400, with_explanation(400, "content-length header must be an integer"),
                     code::kUndefined, request_id, &version);
      const std::string* type = req.header("Content-Type");
      if (n > 0 && (!type || type->empty()))
        return error(400, with_explanation(400, "content-type header required when content-length > 0"),
                     code::kUndefined, request_id, &version);
    }
    const std::string& method = req.method == "HEAD" ? std::string("GET") : req.method;
    RouteMatch m = router.match(method, path == "" ? "/" : path, version);
    switch (m.kind) {
      case RouteMatch::Kind::kNoPath:
        return error(404, with_explanation(404, "The resource could not be found."),
                     code::kUndefined, request_id, &version);
      case RouteMatch::Kind::kNoMethod: {
        Response r = error(405,
                           "The method " + req.method + " is not allowed for this resource.\n\n "
                           "The method specified is not allowed for this resource.",
                           code::kUndefined, request_id, &version);
        r.set_header("Allow", m.allow);
        return r;
      }
      case RouteMatch::Kind::kNoVersion:
        return error(m.version_status,
                     m.version_status == 404 ? with_explanation(404, "The resource could not be found.")
                                             : "The method " + req.method + " is not allowed for this resource.",
                     code::kUndefined, request_id, &version);
      case RouteMatch::Kind::kFound: break;
    }
    // Placement's default (legacy) policy: every API but the version document needs the admin
    // role. Keystone-backed policy comes with the authentication work.
    const bool is_root = path == "/" || path.empty();
    if (!is_root && std::find(caller.roles.begin(), caller.roles.end(), "admin") == caller.roles.end())
      return error(403, "Policy does not allow " + req.method + " " + m.route->pattern + " to be performed.",
                   code::kUndefined, request_id, &version);
    Context ctx{req, version, versions.max, options.randomize_allocation_candidates, std::move(m.params), {}, std::move(caller), request_id, store,
                store.snapshot()};
    ctx.vgpu = options.vgpu.get();
    ctx.request_mix = request_mix.get();
    if (!Query::parse(query_of(req.target), ctx.query))
      return error(400, with_explanation(400, "Invalid query string parameters: the query string is not valid UTF-8 percent-encoding"),
                   code::kUndefined, request_id, &version);
    try {
      return m.route->handler(ctx);
    } catch (const ApiError& e) {
      return error(e.status, with_explanation(e.status, e.what()), e.code, request_id, &version);
    } catch (const store::Unavailable& e) {
      return error(503, std::string("The database is unavailable: ") + e.what(), code::kUndefined,
                   request_id, &version);
    } catch (const std::exception& e) {
      return error(500, std::string("Unexpected error: ") + e.what(), code::kUndefined, request_id,
                   &version);
    }
  }

  static Response health(bool ok) {
    return json_response(ok ? 200 : 503, {{"status", ok ? "ok" : "unavailable"}});
  }
};

PlacementApi::PlacementApi(store::Store& store, ApiOptions options)
    : impl_(std::make_unique<Impl>(Impl{store, std::move(options), {}, {}})) {
  add_root_routes(impl_->router);
  add_resource_provider_routes(impl_->router);
  add_inventory_routes(impl_->router);
  add_resource_class_routes(impl_->router);
  add_trait_routes(impl_->router);
  add_aggregate_routes(impl_->router);
  add_usage_routes(impl_->router);
  add_allocation_routes(impl_->router);
  add_allocation_candidate_routes(impl_->router);
  add_reshaper_routes(impl_->router);
  add_vgpu_routes(impl_->router);
  impl_->versions.max = impl_->options.max_version;
  if (!impl_->options.vgpu) {
    auto defaults = std::make_shared<scheduler::vgpu::VgpuConfig>();
    if (auto catalog = scheduler::vgpu::default_catalog()) defaults->catalog = std::move(*catalog);
    impl_->options.vgpu = std::move(defaults);
  }
  impl_->request_mix = std::make_unique<RequestMixTracker>(impl_->options.vgpu->request_mix);
}

PlacementApi::~PlacementApi() = default;

Response PlacementApi::handle(const Request& request) const {
  try {
    // HEAD keeps GET's body here: the server sends its Content-Length and drops the body.
    Response r = impl_->handle(request);
    apply_cors(impl_->options.cors, request, r);
    return r;
  } catch (const std::exception& e) {
    return error_response(500, std::string("Unexpected error: ") + e.what());
  }
}

}  // namespace vgpu::api
