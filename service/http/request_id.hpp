#pragma once
// Request ids for the error answers the server gives itself (400, 413, 431, 500), in the form
// Placement uses everywhere: "req-" + a random (version 4) UUID.
#include <string>

namespace vgpu::http {

std::string new_request_id();

}  // namespace vgpu::http
