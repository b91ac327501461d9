// vgpu-placement: one binary, several subcommands (DESIGN.md "Interfaces to keep stable").
#include <csignal>
#include <cstdio>
#include <string_view>
#include <vector>

#include "service/commands.hpp"

namespace {

constexpr std::string_view kUsage =
    "usage: vgpu-placement [--version] [--help] <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve     run the Placement API server\n"
    "  migrate   apply the database schema migrations (idempotent)\n"
    "  check     verify that the stored state breaks no vGPU rule (exit 1 if it does)\n"
    "  simulate  replay a request trace through the scheduler and compare policies\n"
    "\n"
    "Run 'vgpu-placement <command> --help' for a command's options.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace vgpu::service;
  // A peer closing its socket must cost an error code, not the process.
  std::signal(SIGPIPE, SIG_IGN);

  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(kUsage.data(), stderr);
    return kExitUsage;
  }
  const std::string_view command = args.front();
  const std::span<const std::string_view> rest(args.begin() + 1, args.end());
  if (command == "--version" || command == "version") {
    std::printf("vgpu-placement %s\n", VGPU_PLACEMENT_VERSION);
    return kExitOk;
  }
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage.data(), stdout);
    return kExitOk;
  }
  if (command == "serve") return serve_command(rest);
  if (command == "migrate") return migrate_command(rest);
  if (command == "check") return check_command(rest);
  if (command == "simulate") return simulate_command(rest);
  std::fprintf(stderr, "vgpu-placement: unknown command or flag '%.*s'\n\n%s",
               static_cast<int>(command.size()), command.data(), kUsage.data());
  return kExitUsage;
}
