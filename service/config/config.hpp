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
#include <vector>

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
};

std::string to_string(LogLevel level);

}  // namespace vgpu::config
