#pragma once
// The request schemas of PUT /allocations/{consumer} and POST /allocations for each
// microversion, built as upstream builds them (each version a copy of the previous with a
// change), so that validation messages match.
#include "api/json_schema.hpp"
#include "api/microversion.hpp"

namespace vgpu::api {

const JsonSchema& put_allocations_schema(const Version& v);
const JsonSchema& post_allocations_schema(const Version& v);  // 1.13+

}  // namespace vgpu::api
