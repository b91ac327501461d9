#pragma once
// Each handlers/ file adds its routes to the table.
#include "api/router.hpp"

namespace vgpu::api {

void add_root_routes(Router& router);
void add_resource_provider_routes(Router& router);
void add_inventory_routes(Router& router);
void add_resource_class_routes(Router& router);
void add_trait_routes(Router& router);
void add_aggregate_routes(Router& router);
void add_usage_routes(Router& router);
void add_allocation_routes(Router& router);

}  // namespace vgpu::api
