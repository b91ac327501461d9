#pragma once
// Command-line flags of `serve` and `migrate`: --key VALUE or --key=VALUE for every option in
// the table, switches (--migrate-on-start, or --migrate-on-start=false), --config PATH and
// --help. Pure: the subcommand itself is taken off by main.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "service/config/resolve.hpp"

namespace vgpu::config {

struct CommandLine {
  std::optional<std::string> config_path;
  std::vector<Setting> settings;  // in the order given; a later flag wins
  bool help = false;
};

// Throws ConfigError for an unknown flag, a missing value or a stray argument.
CommandLine parse_flags(std::span<const std::string_view> args);

}  // namespace vgpu::config
