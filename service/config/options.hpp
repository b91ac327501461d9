#pragma once
// The table of options: each one's key (INI and the base of the other names), help, and how a
// text value is validated into Config. The environment variable is VGPU_PLACEMENT_ + KEY in upper
// case and the flag is --key with '-' for '_': data_dir, VGPU_PLACEMENT_DATA_DIR, --data-dir.
#include <span>
#include <string>
#include <string_view>

#include "service/config/config.hpp"

namespace vgpu::config {

struct OptionSpec {
  std::string_view key;
  std::string_view value_name;  // for help: "HOST:PORT"; empty for a switch
  std::string_view help;
  // Parses and validates `value` into `config`; throws std::invalid_argument with the reason.
  void (*apply)(Config& config, std::string_view value);
  bool is_switch = false;  // a flag that takes no value: "--migrate-on-start" means true
};

std::span<const OptionSpec> option_table();
const OptionSpec* find_option(std::string_view key);  // key with '_' or '-'

std::string env_name(std::string_view key);   // "VGPU_PLACEMENT_DATA_DIR"
std::string flag_name(std::string_view key);  // "--data-dir"

// Help text: one paragraph per option with its flag, variable and default.
std::string options_help();

}  // namespace vgpu::config
