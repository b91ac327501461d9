#include "api/cors.hpp"

#include <algorithm>
#include <string_view>

namespace vgpu::api {
namespace {

// Headers a preflight may always name (oslo.middleware's CORS.simple_headers).
constexpr std::string_view kSimpleHeaders[] = {"Accept",        "Accept-Language", "Content-Type",
                                               "Cache-Control", "Content-Language", "Expires",
                                               "Last-Modified", "Pragma"};

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// A comma-separated header value as its non-empty items.
std::vector<std::string> split_values(const std::string* value) {
  std::vector<std::string> out;
  if (!value) return out;
  std::string_view rest = *value;
  while (true) {
    const auto comma = rest.find(',');
    std::string item = trim(rest.substr(0, comma));
    if (!item.empty()) out.push_back(std::move(item));
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

// The configured origin a request's Origin maps to: itself, or "*" when that is allowed.
const std::string* allowed_origin(const CorsOptions& o, const std::string& origin) {
  for (const auto& a : o.allowed_origins)
    if (a == origin) return &a;
  for (const auto& a : o.allowed_origins)
    if (a == "*") return &a;
  return nullptr;
}

bool header_permitted(const CorsOptions& o, const std::string& name) {
  return std::any_of(o.allow_headers.begin(), o.allow_headers.end(),
                     [&](const std::string& h) { return iequals(h, name); }) ||
         std::any_of(std::begin(kSimpleHeaders), std::end(kSimpleHeaders),
                     [&](std::string_view h) { return iequals(h, name); });
}

// Section 6.2 of the CORS recommendation, as _apply_cors_preflight_headers.
void preflight(const CorsOptions& o, const Request& req, Response& r) {
  // The API does not serve OPTIONS: whatever it answered becomes an empty 200.
  if (r.status < 200 || r.status >= 300) r = Response{};
  const std::string* origin_header = req.header("Origin");
  if (!origin_header) return;
  const std::string* origin = allowed_origin(o, *origin_header);
  if (!origin) return;
  const std::string* method = req.header("Access-Control-Request-Method");
  if (!method) return;
  const std::vector<std::string> headers =
      split_values(req.header("Access-Control-Request-Headers"));
  // Methods compare case-sensitively, headers not.
  if (std::find(o.allow_methods.begin(), o.allow_methods.end(), *method) == o.allow_methods.end())
    return;
  for (const auto& h : headers)
    if (!header_permitted(o, h)) return;
  r.set_header("Vary", "Origin");
  r.set_header("Access-Control-Allow-Origin", *origin);
  if (o.allow_credentials) r.set_header("Access-Control-Allow-Credentials", "true");
  if (o.max_age_seconds > 0) r.set_header("Access-Control-Max-Age", std::to_string(o.max_age_seconds));
  r.set_header("Access-Control-Allow-Methods", *method);
  if (!headers.empty()) r.set_header("Access-Control-Allow-Headers", join(headers, ","));
}

// Section 6.1, as _apply_cors_request_headers.
void actual_request(const CorsOptions& o, const Request& req, Response& r) {
  const std::string* origin_header = req.header("Origin");
  if (!origin_header) return;
  const std::string* origin = allowed_origin(o, *origin_header);
  if (!origin) return;
  if (const std::string* vary = r.header("Vary")) r.set_header("Vary", *vary + ",Origin");
  else r.set_header("Vary", "Origin");
  r.set_header("Access-Control-Allow-Origin", *origin);
  if (o.allow_credentials) r.set_header("Access-Control-Allow-Credentials", "true");
  if (!o.expose_headers.empty())
    r.set_header("Access-Control-Expose-Headers", join(o.expose_headers, ","));
}

}  // namespace

std::vector<std::string> default_cors_allow_headers() {
  return {"X-Auth-Token", "X-Openstack-Request-Id", "X-Identity-Status", "X-Roles",
          "X-Service-Catalog", "X-User-Id", "X-Tenant-Id", "OpenStack-API-Version"};
}

std::vector<std::string> default_cors_expose_headers() {
  return {"X-Auth-Token", "X-Openstack-Request-Id", "X-Subject-Token", "X-Service-Token",
          "OpenStack-API-Version"};
}

std::vector<std::string> default_cors_allow_methods() {
  return {"GET", "PUT", "POST", "DELETE", "PATCH"};
}

void apply_cors(const CorsOptions& options, const Request& request, Response& response) {
  if (!options.enabled()) return;
  // Something inside already decided (the middleware's sanity pre-check).
  if (response.header("Access-Control-Allow-Origin")) return;
  if (request.method == "OPTIONS") preflight(options, request, response);
  else actual_request(options, request, response);
}

}  // namespace vgpu::api
