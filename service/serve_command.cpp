// `vgpu-placement serve`: database -> CachedStore -> PlacementApi -> HTTP server, until SIGINT or
// SIGTERM. stdout carries exactly one line, the start line that tests and scripts parse:
//   vgpu-placement listening on http://HOST:PORT (store: <database description>)
// Everything else goes to the log on stderr.
#include <cstdio>
#include <string>

#include "api/placement_api.hpp"
#include "service/commands.hpp"
#include "service/config/vgpu_settings.hpp"
#include "service/database_setup.hpp"
#include "service/http/server.hpp"
#include "service/logger.hpp"
#include "service/store/cached_store.hpp"
#include "service/termination_signals.hpp"

namespace vgpu::service {
namespace {

http::ServerOptions server_options(const config::Config& c) {
  http::ServerOptions o;
  o.host = c.listen.host;
  o.port = c.listen.port;
  o.workers = c.workers;
  o.max_body_bytes = c.max_body_bytes;
  o.max_header_bytes = c.max_header_bytes;
  o.read_timeout = std::chrono::seconds(c.read_timeout_seconds);
  o.idle_timeout = std::chrono::seconds(c.idle_timeout_seconds);
  return o;
}

http::ServerEvents server_events(Logger& log) {
  http::ServerEvents events;
  if (log.enabled(LogLevel::kInfo)) {
    events.exchange = [&log](const http::Exchange& e) {
      char ms[32];
      std::snprintf(ms, sizeof ms, "%.2fms", static_cast<double>(e.elapsed.count()) / 1000.0);
      log.info(std::string(e.method) + " " + std::string(e.target) + " " +
               std::to_string(e.status) + " " + ms);
    };
  }
  events.warning = [&log](std::string_view message) { log.warning(message); };
  return events;
}

// Refuses a schema this binary cannot serve; migrates first when told to. False: do not start.
bool check_schema(store::Database& db, const config::Config& config, Logger& log) {
  const auto v = db.schema_version();
  if (v.current > v.latest) {
    log.error("database schema version " + std::to_string(v.current) +
              " is newer than this binary supports (" + std::to_string(v.latest) +
              "): upgrade vgpu-placement");
    return false;
  }
  if (v.current < v.latest) {
    if (!config.migrate_on_start) {
      log.error("database schema is at version " + std::to_string(v.current) +
                " but this binary needs version " + std::to_string(v.latest) +
                ": run `vgpu-placement migrate` first (or start with --migrate-on-start)");
      return false;
    }
    log.info("migrating the database schema from version " + std::to_string(v.current) + " to " +
             std::to_string(v.latest));
    db.migrate();
  }
  return true;
}

}  // namespace

int serve_command(std::span<const std::string_view> args) {
  config::Config config;
  if (auto done = load_command_config("serve", "Run the Placement API server.", args, config)) {
    return *done;
  }
  // Before any thread exists, so that every thread inherits the blocked signals.
  TerminationSignals signals;
  Logger log(config.log_level);
  try {
    // Built first: a bad catalog file or mapping stops start-up before the database is touched.
    const std::shared_ptr<const scheduler::vgpu::VgpuConfig> vgpu =
        config::load_vgpu_config(config.vgpu);
    // The store maps the profile names it keeps through the same catalog (an aliasing pointer:
    // the catalog lives as long as the configuration).
    auto db = open_configured_database(config, store::CatalogPtr(vgpu, &vgpu->catalog));
    if (!check_schema(*db, config, log)) return kExitFailure;
    const std::string description = db->description();

    store::CachedStore store(std::move(db));
    api::ApiOptions api_options;
    api_options.auth_strategy = config.auth;
    api_options.randomize_allocation_candidates = config.randomize_allocation_candidates;
    if (!config.max_microversion.empty()) {
      const auto dot = config.max_microversion.find('.');
      api_options.max_version = {std::stoi(config.max_microversion.substr(0, dot)),
                                 std::stoi(config.max_microversion.substr(dot + 1))};
    }
    api_options.cors.allowed_origins = config.cors_allowed_origin;
    api_options.cors.allow_headers = config.cors_allow_headers;
    api_options.vgpu = vgpu;
    const api::PlacementApi placement(store, api_options);
    http::Server server(
        server_options(config),
        [&placement](const api::Request& request) { return placement.handle(request); },
        server_events(log));
    server.start();
    std::printf("vgpu-placement listening on http://%s (store: %s)\n",
                server.local_endpoint().authority().c_str(), description.c_str());
    std::fflush(stdout);

    const int signal_number = signals.wait();
    log.info(std::string("received ") + signal_name(signal_number) +
             ": stopping (finishing requests in flight)");
    server.stop();
    log.info("stopped");
    return kExitOk;  // the store, and with it the database, closes on the way out
  } catch (const config::ConfigError& e) {
    std::fprintf(stderr, "vgpu-placement serve: %s\n", e.what());
    return kExitUsage;
  } catch (const std::exception& e) {
    log.error(std::string("cannot serve: ") + e.what());
    return kExitFailure;
  }
}

}  // namespace vgpu::service
