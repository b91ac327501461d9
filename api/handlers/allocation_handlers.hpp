#pragma once
// The allocation handlers, one file each; add_allocation_routes() (allocations.cpp) registers
// them all.
#include "api/context.hpp"
#include "api/http_message.hpp"

namespace vgpu::api {

Response post_allocations(Context& ctx);
Response provider_allocations(Context& ctx);

}  // namespace vgpu::api
