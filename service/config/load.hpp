#pragma once
// The I/O half of configuration: reads the INI file (--config PATH, else $VGPU_PLACEMENT_CONFIG,
// else none), the process environment and a few facts about the machine, then resolve()s.
#include "service/config/config.hpp"
#include "service/config/flags.hpp"

namespace vgpu::config {

// Throws ConfigError (also when the file cannot be read).
Config load_config(const CommandLine& command_line);

}  // namespace vgpu::config
