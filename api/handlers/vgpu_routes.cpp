#include "api/handlers/vgpu_routes.hpp"

namespace vgpu::api {

void add_vgpu_routes(Router& router) {
  add_vgpu_host_routes(router);
  add_vgpu_catalog_routes(router);
  add_vgpu_licence_routes(router);
  add_vgpu_candidate_routes(router);
  add_vgpu_capacity_routes(router);
}

}  // namespace vgpu::api
