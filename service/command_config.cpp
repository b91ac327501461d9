// Flags, --help and configuration loading, the same for every subcommand.
#include <cstdio>
#include <string>

#include "service/commands.hpp"
#include "service/config/flags.hpp"
#include "service/config/load.hpp"
#include "service/config/options.hpp"

namespace vgpu::service {
namespace {

void print_help(std::string_view command, std::string_view summary) {
  std::string text = "usage: vgpu-placement " + std::string(command) + " [options]\n\n" +
                     std::string(summary) +
                     "\n\n"
                     "Every option can be set, in increasing precedence, in the configuration\n"
                     "file (\"key = value\" lines under [DEFAULT]), in the environment\n"
                     "(VGPU_PLACEMENT_<KEY>, empty means unset) or with a flag\n"
                     "(--key VALUE or --key=VALUE).\n\n"
                     "  --config PATH   (VGPU_PLACEMENT_CONFIG)\n"
                     "      INI configuration file; none by default.\n" +
                     config::options_help();
  std::fputs(text.c_str(), stdout);
}

}  // namespace

std::optional<int> load_command_config(std::string_view command, std::string_view summary,
                                       std::span<const std::string_view> args,
                                       config::Config& config) {
  try {
    const config::CommandLine command_line = config::parse_flags(args);
    if (command_line.help) {
      print_help(command, summary);
      return kExitOk;
    }
    config = config::load_config(command_line);
    return std::nullopt;
  } catch (const config::ConfigError& e) {
    std::fprintf(stderr, "vgpu-placement %.*s: %s\nRun 'vgpu-placement %.*s --help' for usage.\n",
                 static_cast<int>(command.size()), command.data(), e.what(),
                 static_cast<int>(command.size()), command.data());
    return kExitUsage;
  }
}

}  // namespace vgpu::service
