#pragma once
// The JSON form of a resource provider for a given microversion.
#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "scheduler/model/provider.hpp"

namespace vgpu::api {

nlohmann::json provider_json(const Context& ctx, const scheduler::Provider& p);

}  // namespace vgpu::api
