// `vgpu-placement migrate`: bring the database schema up to this binary's version. Idempotent.
#include <cstdio>

#include "service/commands.hpp"
#include "service/database_setup.hpp"
#include "service/logger.hpp"

namespace vgpu::service {

int migrate_command(std::span<const std::string_view> args) {
  config::Config config;
  if (auto done = load_command_config("migrate", "Apply the missing database schema migrations.",
                                      args, config)) {
    return *done;
  }
  Logger log(config.log_level);
  try {
    auto db = open_configured_database(config);
    const auto before = db->schema_version();
    if (before.current > before.latest) {
      log.error("database schema version " + std::to_string(before.current) +
                " is newer than this binary's " + std::to_string(before.latest) +
                ": upgrade vgpu-placement");
      return kExitFailure;
    }
    db->migrate();
    const auto after = db->schema_version();
    if (before.current == after.current) {
      std::printf("database %s: schema already at version %d\n", db->description().c_str(),
                  after.current);
    } else {
      std::printf("database %s: schema migrated from version %d to %d\n",
                  db->description().c_str(), before.current, after.current);
    }
    return kExitOk;
  } catch (const config::ConfigError& e) {
    std::fprintf(stderr, "vgpu-placement migrate: %s\n", e.what());
    return kExitUsage;
  } catch (const std::exception& e) {
    log.error(std::string("migration failed: ") + e.what());
    return kExitFailure;
  }
}

}  // namespace vgpu::service
