#pragma once
// The service's configuration: one frozen value built at start-up from, in increasing
// precedence, the INI file (--config PATH), the environment (VGPU_PLACEMENT_<KEY>) and the
// command-line flags (--key). Option names are a contract shared with the charm and operators;
// the table of options is in options.cpp. File layout: every option as "key = value" under
// [DEFAULT] (see vgpu-placement.conf.example and resolve.hpp).
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "scheduler/vgpu/licence_pool.hpp"
#include "scheduler/vgpu/score_weights.hpp"

namespace vgpu::config {

// A bad option value, an unknown option, an unreadable file: start-up stops (exit code 2) and
// the message names the option and where the value came from.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class LogLevel { kDebug, kInfo, kWarning, kError };

struct ListenAddress {
  std::string host;  // without brackets: "127.0.0.1", "::1", "localhost"
  std::uint16_t port = 0;
  std::string to_string() const;  // "127.0.0.1:8778", "[::1]:8778"
};

// The [vgpu] options as configured (the vgpu_* keys), before the catalog is known: files are
// paths, mappings are names. vgpu_settings.hpp turns them into the frozen VgpuConfig, which is
// where profiles are checked against the catalog.
struct VgpuOptions {
  std::string boards_file;    // operator catalog overrides (CSV), empty: none
  std::string profiles_file;
  scheduler::vgpu::ScoreWeights weights;
  scheduler::vgpu::LicenceConfig licences;
  bool wake_standby_hosts = false;
  double request_mix_half_life_seconds = 3600;
  // (Nova name, profile name) in the order given: CUSTOM_X -> A40-4Q, nvidia-558 -> A40-4Q.
  std::vector<std::pair<std::string, std::string>> resource_class_map;
  std::vector<std::pair<std::string, std::string>> trait_map;
  std::vector<std::pair<std::string, std::string>> mdev_type_map;
};

struct Config {
  ListenAddress listen{"127.0.0.1", 8778};
  std::string database;  // default: "sqlite://" + data_dir + "/placement.db"
  std::string data_dir;  // absolute
  std::string auth = "noauth2";
  unsigned workers = 1;  // default: the hardware threads
  std::size_t max_body_bytes = std::size_t{1} << 20;
  std::size_t max_header_bytes = std::size_t{16} << 10;
  unsigned read_timeout_seconds = 30;
  unsigned idle_timeout_seconds = 60;
  bool migrate_on_start = false;
  std::string max_microversion;
  bool randomize_allocation_candidates = false;  // empty: the highest fully implemented one
  LogLevel log_level = LogLevel::kInfo;
  // CORS (upstream's [cors] allowed_origin / allow_headers): off while no origin is allowed.
  std::vector<std::string> cors_allowed_origin;
  std::vector<std::string> cors_allow_headers = {
      "X-Auth-Token",      "X-Openstack-Request-Id", "X-Identity-Status", "X-Roles",
      "X-Service-Catalog", "X-User-Id",              "X-Tenant-Id",       "OpenStack-API-Version"};
  VgpuOptions vgpu;
};

std::string to_string(LogLevel level);

}  // namespace vgpu::config
