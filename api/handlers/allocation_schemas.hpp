#pragma once
// The request schemas of PUT /allocations/{consumer} and POST /allocations for each
// microversion, built as upstream builds them (each version a copy of the previous with a
// change), so that validation messages match.
#include <nlohmann/json.hpp>

#include "api/json_schema.hpp"
#include "api/microversion.hpp"

namespace vgpu::api {

const JsonSchema& put_allocations_schema(const Version& v);
const JsonSchema& post_allocations_schema(const Version& v);  // 1.13+
// The schema document behind post_allocations_schema(v), for schemas that embed it (the
// reshaper, 1.30+).
nlohmann::json post_allocations_document(const Version& v);

}  // namespace vgpu::api
