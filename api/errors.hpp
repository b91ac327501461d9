#pragma once
// Placement's error body and its stable error codes. Codes are part of the wire contract: they
// are never renamed. The body is {"errors": [{"status", "title", "detail", "code", "request_id"}]}.
#include <string>
#include <string_view>

#include "api/http_message.hpp"

namespace vgpu::api {

namespace code {
inline constexpr std::string_view kUndefined = "placement.undefined_code";
inline constexpr std::string_view kInventoryInUse = "placement.inventory.inuse";
inline constexpr std::string_view kConcurrentUpdate = "placement.concurrent_update";
inline constexpr std::string_view kDuplicateName = "placement.duplicate_name";
inline constexpr std::string_view kProviderInUse = "placement.resource_provider.inuse";
inline constexpr std::string_view kProviderCannotDeleteParent =
    "placement.resource_provider.cannot_delete_parent";
inline constexpr std::string_view kProviderNotFound = "placement.resource_provider.not_found";
inline constexpr std::string_view kQueryDuplicateKey = "placement.query.duplicate_key";
inline constexpr std::string_view kQueryBadValue = "placement.query.bad_value";
inline constexpr std::string_view kQueryMissingValue = "placement.query.missing_value";
}  // namespace code

// The reason phrase Placement (webob) uses as "title" for a status: 404 -> "Not Found".
std::string_view status_title(int status);

// A complete error response: JSON body, Content-Type, status. `detail` is the human message.
Response error_response(int status, std::string_view detail,
                        std::string_view error_code = code::kUndefined,
                        std::string_view request_id = {});

}  // namespace vgpu::api
