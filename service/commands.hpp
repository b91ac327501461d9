#pragma once
// The subcommands of vgpu-placement. Each takes the arguments after its name and returns the
// process exit code.
#include <optional>
#include <span>
#include <string_view>

#include "service/config/config.hpp"

namespace vgpu::service {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the service could not do its job (database, bind...)
inline constexpr int kExitUsage = 2;    // bad command line or configuration

int serve_command(std::span<const std::string_view> args);
int migrate_command(std::span<const std::string_view> args);
int check_command(std::span<const std::string_view> args);
int simulate_command(std::span<const std::string_view> args);

// Parses a subcommand's flags and loads the configuration into `config`. Returns an exit code
// when the command must end now: after --help (0) or a usage/configuration error (2, with the
// message on stderr).
std::optional<int> load_command_config(std::string_view command, std::string_view summary,
                                       std::span<const std::string_view> args,
                                       config::Config& config);

}  // namespace vgpu::service
