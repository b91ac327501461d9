#pragma once
// The vGPU API under /vgpu/v1 (issue 4), documented in api/vgpu-openapi.yaml. Versioned by its
// path: PlacementApi ignores the microversion header there. JSON in and out; errors in
// Placement's body; admin only, like the rest of the API under noauth2.
#include <string_view>

#include "api/router.hpp"

namespace vgpu::api {

inline constexpr std::string_view kVgpuPathPrefix = "/vgpu/";

void add_vgpu_routes(Router& router);  // every route below

void add_vgpu_host_routes(Router& router);       // /vgpu/v1/hosts[/{hostname}]
void add_vgpu_catalog_routes(Router& router);    // /vgpu/v1/profiles
void add_vgpu_licence_routes(Router& router);    // /vgpu/v1/licenses
void add_vgpu_candidate_routes(Router& router);  // /vgpu/v1/candidates
void add_vgpu_capacity_routes(Router& router);   // /vgpu/v1/capacity

}  // namespace vgpu::api
