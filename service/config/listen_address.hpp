#pragma once
#include <string_view>

#include "service/config/config.hpp"

namespace vgpu::config {

// "HOST:PORT" or "[IPV6]:PORT"; port 0..65535 (0: pick a free one). Throws std::invalid_argument
// with the reason (the caller adds which option and source).
ListenAddress parse_listen_address(std::string_view text);

}  // namespace vgpu::config
