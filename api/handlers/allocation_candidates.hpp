#pragma once
// GET /allocation_candidates.
#include "api/router.hpp"

namespace vgpu::api {

void add_allocation_candidate_routes(Router& router);

}  // namespace vgpu::api
