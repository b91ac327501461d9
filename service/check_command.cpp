// `vgpu-placement check`: does the stored state break any vGPU rule? Loads the state from the
// configured database (read only, the same configuration as `serve`: database, catalog files,
// name mappings), runs the scheduler's state check and prints one line per finding, then a
// summary line. Exit code: 0 clean (warnings allowed), 1 when any rule is broken (an error
// finding), 2 when the configuration or the database does not let it look (bad option,
// unreadable catalog file, unreachable database, schema not current).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "scheduler/vgpu/state_check.hpp"
#include "service/commands.hpp"
#include "service/config/vgpu_settings.hpp"
#include "service/database_setup.hpp"
#include "service/store/database.hpp"

namespace vgpu::service {
namespace {

constexpr std::string_view kSummary =
    "Check that the state stored in the database breaks no vGPU rule.\n"
    "Prints one line per finding and a summary; exit code 0 when clean, 1 when a rule is\n"
    "broken, 2 on a configuration or database error.";

const char* plural(std::size_t n) { return n == 1 ? "" : "s"; }

int fail(const std::string& message) {
  std::fprintf(stderr, "vgpu-placement check: %s\n", message.c_str());
  return kExitUsage;
}

}  // namespace

int check_command(std::span<const std::string_view> args) {
  config::Config config;
  if (auto done = load_command_config("check", kSummary, args, config)) return *done;
  std::shared_ptr<const scheduler::vgpu::VgpuConfig> vgpu;
  scheduler::State state;
  std::string description;
  try {
    vgpu = config::load_vgpu_config(config.vgpu);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  const std::string where = "database " + redact_url(config.database);
  try {
    // Read only: unlike serve, a missing SQLite file is an error, not a new database.
    constexpr std::string_view kSqlite = "sqlite://";
    if (config.database.rfind(kSqlite, 0) == 0 && config.database != "sqlite://:memory:" &&
        !std::filesystem::exists(config.database.substr(kSqlite.size())))
      return fail(where + ": no such file");
    // Profile and board names map through the configured catalog, as serve's do.
    auto db = store::open_database(config.database, store::CatalogPtr(vgpu, &vgpu->catalog));
    description = db->description();
    const store::SchemaVersion v = db->schema_version();
    if (v.current != v.latest)
      return fail(where + " has schema version " + std::to_string(v.current) +
                  ", this binary needs " + std::to_string(v.latest) +
                  (v.current < v.latest ? ": run `vgpu-placement migrate` first"
                                        : ": upgrade vgpu-placement"));
    state = db->load();
  } catch (const std::exception& e) {
    return fail(where + ": " + e.what());
  }

  namespace sv = scheduler::vgpu;
  const std::vector<sv::Finding> findings = sv::check_state(state, *vgpu);
  std::size_t errors = 0;
  for (const sv::Finding& f : findings) {
    std::printf("%s\n", sv::to_string(f).c_str());
    if (f.severity == sv::Severity::error) ++errors;
  }
  const std::size_t warnings = findings.size() - errors;
  std::printf("%zu finding%s (%zu error%s, %zu warning%s) in %s: %zu managed host%s, %zu "
              "consumer%s\n",
              findings.size(), plural(findings.size()), errors, plural(errors), warnings,
              plural(warnings), description.c_str(), state.managed_hosts().size(),
              plural(state.managed_hosts().size()), state.consumer_count(),
              plural(state.consumer_count()));
  std::fflush(stdout);
  // Warnings (a pool dipping into its reserve, seats without vGPUs) break no rule.
  return errors == 0 ? kExitOk : kExitFailure;
}

}  // namespace vgpu::service
