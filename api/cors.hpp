#pragma once
// Cross-origin resource sharing as upstream Placement serves it when `[cors] allowed_origin` is
// set: oslo.middleware's CORS middleware, outermost around the API (outside authentication, so
// a preflight needs no token), with Placement's defaults for the headers and methods.
#include <string>
#include <vector>

#include "api/http_message.hpp"

namespace vgpu::api {

// Placement's defaults (placement.wsgi._set_middleware_defaults).
std::vector<std::string> default_cors_allow_headers();
std::vector<std::string> default_cors_expose_headers();
std::vector<std::string> default_cors_allow_methods();

struct CorsOptions {
  std::vector<std::string> allowed_origins;  // empty: CORS off; "*" allows any origin
  std::vector<std::string> allow_headers = default_cors_allow_headers();
  std::vector<std::string> expose_headers = default_cors_expose_headers();
  std::vector<std::string> allow_methods = default_cors_allow_methods();
  bool allow_credentials = true;
  int max_age_seconds = 3600;  // 0: no Access-Control-Max-Age

  bool enabled() const { return !allowed_origins.empty(); }
};

// Decorates (or, for an OPTIONS request the API refused, replaces) the API's response to
// `request`, as the middleware's process_response does. Does nothing when CORS is off.
void apply_cors(const CorsOptions& options, const Request& request, Response& response);

}  // namespace vgpu::api
