#pragma once
// Steps every handler shares: content negotiation, JSON parsing against a schema, responses,
// cache headers, looking up the provider named in the path.
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/api_error.hpp"
#include "api/context.hpp"
#include "api/json_schema.hpp"
#include "scheduler/model/provider.hpp"

namespace vgpu::api {

// 415 unless the request's Content-Type is application/json.
void require_json_content(const Context& ctx);
// 406 when an explicit Accept header excludes application/json.
void check_accept_json(const Context& ctx);
// Parses the body and validates it; 400 "Malformed JSON: ..." / "JSON does not validate: ...".
nlohmann::json parse_body(const Context& ctx, const JsonSchema& schema);
// Validates the query parameters as a flat object (last value per key), as upstream does;
// 400 "Invalid query string parameters: ...".
void validate_query(const Context& ctx, const JsonSchema& schema);

Response json_response(int status, const nlohmann::json& body);
Response empty_response(int status);
// Last-Modified and Cache-Control: no-cache, from microversion 1.15 on.
void set_cache_headers(const Context& ctx, Response& r, std::int64_t modified_unix);
// Location headers are absolute URLs built from the request's Host, as webob makes them.
std::string absolute_url(const Context& ctx, const std::string& path);
std::int64_t now_unix();
scheduler::Uuid random_uuid();
std::string http_date(std::int64_t unix_seconds);

// After the request's own write: ctx.state becomes the newly published snapshot. The earlier one
// is kept alive, so references taken from it stay valid until the request ends.
void refresh_snapshot(Context& ctx);

// Commits `next` as the new value of provider `current`: the generation is checked in SQL and,
// when `bump`, incremented; only `parts` are rewritten. A store conflict becomes 409 with
// `conflict_detail`, a referenced row gone missing 400 with `missing_detail` (when given).
// Returns the stored provider, from the refreshed snapshot.
struct ProviderCommit {
  unsigned parts;
  std::string conflict_detail;
  std::string_view conflict_code = code::kConcurrentUpdate;
  bool bump = true;
  std::string missing_detail = {};
};
const scheduler::Provider& commit_provider(Context& ctx, const scheduler::Provider& current,
                                           scheduler::Provider next, const ProviderCommit& how);

// The provider named by the {uuid} path parameter, or 404 with `missing_detail` (where %s is
// replaced by the uuid); the default is Placement's generic message.
const scheduler::Provider& provider_from_path(const Context& ctx,
                                              std::string_view missing_detail = {});

}  // namespace vgpu::api
