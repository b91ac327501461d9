#pragma once
// What PUT /resource_providers/{uuid}/inventories shares with POST /reshaper, which carries one
// such body per provider: upstream's PUT_INVENTORY_SCHEMA and reading a record with upstream's
// defaults (INVENTORY_DEFAULTS).
#include <nlohmann/json.hpp>

#include "scheduler/model/inventory.hpp"

namespace vgpu::api {

nlohmann::json put_inventories_schema_document();
scheduler::Inventory inventory_from(const nlohmann::json& record);

}  // namespace vgpu::api
