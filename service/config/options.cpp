#include "service/config/options.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "scheduler/vgpu/profile_name.hpp"
#include "service/config/listen_address.hpp"

namespace vgpu::config {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::uint64_t parse_number(std::string_view value, std::uint64_t min, std::uint64_t max) {
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (value.empty() || ec == std::errc::invalid_argument ||
      end != value.data() + value.size()) {
    throw std::invalid_argument("expected a whole number, got '" + std::string(value) + "'");
  }
  if (ec == std::errc::result_out_of_range || n < min || n > max) {
    throw std::invalid_argument("must be between " + std::to_string(min) + " and " +
                                std::to_string(max) + ", got '" + std::string(value) + "'");
  }
  return n;
}

bool parse_bool(std::string_view value) {
  const std::string v = lower(value);
  if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
  if (v == "false" || v == "no" || v == "off" || v == "0") return false;
  throw std::invalid_argument("expected true or false, got '" + std::string(value) + "'");
}

void require_non_empty(std::string_view value) {
  if (value.empty()) throw std::invalid_argument("must not be empty");
}

// A comma-separated list, as oslo.config's ListOpt: items trimmed, empty ones dropped.
std::vector<std::string> parse_list(std::string_view value) {
  std::vector<std::string> out;
  while (true) {
    const auto comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    const auto b = item.find_first_not_of(" \t");
    if (b != std::string_view::npos) {
      const auto e = item.find_last_not_of(" \t");
      out.emplace_back(item.substr(b, e - b + 1));
    }
    if (comma == std::string_view::npos) return out;
    value = value.substr(comma + 1);
  }
}

double parse_decimal(std::string_view value) {
  double d = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), d);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size() ||
      !std::isfinite(d)) {
    throw std::invalid_argument("expected a number, got '" + std::string(value) + "'");
  }
  return d;
}

// A score weight: a number the scheduler's own check accepts, so the message names the score.
void set_score_weight(Config& c, std::string_view name, std::string_view value) {
  const double w = parse_decimal(value);
  scheduler::vgpu::ScoreWeights probe;  // defaults elsewhere, so "all zero" cannot fire here
  scheduler::vgpu::set_weight(probe, name, w);
  if (auto error = scheduler::vgpu::validate(probe)) throw std::invalid_argument(*error);
  scheduler::vgpu::set_weight(c.vgpu.weights, name, w);
}

bool is_custom_name(std::string_view s) {
  if (s.size() <= 7 || s.substr(0, 7) != "CUSTOM_" || s.size() > 255) return false;
  return std::all_of(s.begin(), s.end(), [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
  });
}

bool is_mdev_type(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.';
  });
}

// "NAME:PROFILE, NAME:PROFILE": Nova names mapped to NVIDIA profile names. Whether a profile
// is in the catalog is checked once the catalog is built (vgpu_settings.cpp); here only the
// syntax, so that the message can quote the item.
std::vector<std::pair<std::string, std::string>> parse_profile_map(
    std::string_view value, bool (*name_ok)(std::string_view), std::string_view name_kind) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& item : parse_list(value)) {
    const auto colon = item.find(':');
    if (colon == std::string::npos || item.find(':', colon + 1) != std::string::npos) {
      throw std::invalid_argument("expected NAME:PROFILE items separated by commas, got '" +
                                  item + "'");
    }
    std::string name = item.substr(0, colon);
    std::string profile = item.substr(colon + 1);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
    while (!profile.empty() && (profile.front() == ' ' || profile.front() == '\t'))
      profile.erase(profile.begin());
    if (!name_ok(name)) {
      throw std::invalid_argument("'" + name + "' in '" + item + "' is not " +
                                  std::string(name_kind));
    }
    const auto parsed = scheduler::vgpu::parse_profile_name(profile);
    if (!parsed || scheduler::vgpu::to_string(*parsed) != profile) {
      throw std::invalid_argument("'" + profile + "' in '" + item +
                                  "' is not a vGPU profile name (such as A40-4Q or A100-3-20C)");
    }
    for (const auto& [seen, _] : out) {
      if (seen == name) throw std::invalid_argument("'" + name + "' is mapped twice");
    }
    out.emplace_back(std::move(name), std::move(profile));
  }
  return out;
}

constexpr std::uint64_t kKiB = 1024;
constexpr std::uint64_t kMiB = 1024 * kKiB;
constexpr std::uint64_t kGiB = 1024 * kMiB;

// The contract: keys, and so variables and flags, are never renamed.
constexpr OptionSpec kOptions[] = {
    {"listen", "HOST:PORT",
     "Address to listen on; port 0 picks a free port; IPv6 as [::1]:8778. Default 127.0.0.1:8778.",
     [](Config& c, std::string_view v) { c.listen = parse_listen_address(v); }},
    {"database", "URL",
     "sqlite:///ABS/PATH.db or postgresql://user:pass@host:port/db. "
     "Default sqlite://DATA_DIR/placement.db.",
     [](Config& c, std::string_view v) {
       require_non_empty(v);
       c.database = std::string(v);
     }},
    {"data_dir", "DIR",
     "Directory for local state. Default /var/lib/vgpu-placement as root, otherwise "
     "$XDG_DATA_HOME/vgpu-placement or ~/.local/share/vgpu-placement.",
     [](Config& c, std::string_view v) {
       require_non_empty(v);
       c.data_dir = std::string(v);
     }},
    {"auth", "STRATEGY", "Authentication strategy; only noauth2 for now. Default noauth2.",
     [](Config& c, std::string_view v) {
       if (v != "noauth2") {
         throw std::invalid_argument("only 'noauth2' is supported, got '" + std::string(v) +
                                     "'");
       }
       c.auth = std::string(v);
     }},
    {"workers", "N", "Worker threads serving requests (1-1024). Default: twice the hardware threads, at least 8.",
     [](Config& c, std::string_view v) {
       c.workers = static_cast<unsigned>(parse_number(v, 1, 1024));
     }},
    {"max_body_bytes", "BYTES", "Largest request body accepted; larger ones get 413. Default 1048576.",
     [](Config& c, std::string_view v) {
       c.max_body_bytes = static_cast<std::size_t>(parse_number(v, kKiB, kGiB));
     }},
    {"max_header_bytes", "BYTES",
     "Largest request line plus headers accepted; larger ones get 431. Default 16384.",
     [](Config& c, std::string_view v) {
       c.max_header_bytes = static_cast<std::size_t>(parse_number(v, kKiB, kMiB));
     }},
    {"read_timeout_seconds", "SECONDS",
     "Time allowed to receive a whole request once it has started, and to send a response "
     "(1-3600). Default 30.",
     [](Config& c, std::string_view v) {
       c.read_timeout_seconds = static_cast<unsigned>(parse_number(v, 1, 3600));
     }},
    {"idle_timeout_seconds", "SECONDS",
     "Keep-alive connections idle this long are closed (1-86400). Default 60.",
     [](Config& c, std::string_view v) {
       c.idle_timeout_seconds = static_cast<unsigned>(parse_number(v, 1, 86400));
     }},
    {"migrate_on_start", "",
     "serve applies missing database migrations instead of refusing to start. Default false.",
     [](Config& c, std::string_view v) { c.migrate_on_start = parse_bool(v); }, true},
    {"max_microversion", "X.Y",
     "Highest microversion advertised (GET /, 'latest'): lower it to behave like an older "
     "Placement. At most 1.39. Default 1.39.",
     [](Config& c, std::string_view v) {
       const auto dot = v.find('.');
       if (v.substr(0, dot) != "1" || dot == std::string_view::npos ||
           parse_number(v.substr(dot + 1), 0, 39) > 39) {
         throw std::invalid_argument("expected 1.N with N at most 39, got '" + std::string(v) + "'");
       }
       c.max_microversion = std::string(v);
     }},
    {"randomize_allocation_candidates", "",
     "Return allocation candidates in random order instead of ranked (upstream's option of the "
     "same name). Default false.",
     [](Config& c, std::string_view v) { c.randomize_allocation_candidates = parse_bool(v); },
     true},
    {"log_level", "LEVEL", "debug, info, warning or error. Default info.",
     [](Config& c, std::string_view v) {
       const std::string l = lower(v);
       if (l == "debug") c.log_level = LogLevel::kDebug;
       else if (l == "info") c.log_level = LogLevel::kInfo;
       else if (l == "warning" || l == "warn") c.log_level = LogLevel::kWarning;
       else if (l == "error") c.log_level = LogLevel::kError;
       else throw std::invalid_argument("expected debug, info, warning or error, got '" +
                                        std::string(v) + "'");
     }},
    {"cors_allowed_origin", "ORIGINS",
     "Comma-separated origins (scheme://host[:port], or *) allowed to use the API from a "
     "browser (CORS, as upstream's [cors] allowed_origin). Default empty: CORS off.",
     [](Config& c, std::string_view v) { c.cors_allowed_origin = parse_list(v); }},
    {"cors_allow_headers", "HEADERS",
     "Comma-separated request headers a CORS preflight may name (upstream's [cors] "
     "allow_headers). Default X-Auth-Token, X-Openstack-Request-Id, X-Identity-Status, "
     "X-Roles, X-Service-Catalog, X-User-Id, X-Tenant-Id, OpenStack-API-Version.",
     [](Config& c, std::string_view v) { c.cors_allow_headers = parse_list(v); }},
    // vGPU scheduling (issue 4). The catalog files override the shipped catalog row by row.
    {"vgpu_boards_file", "PATH",
     "CSV of boards (GPU models) added to or replacing the shipped vGPU catalog's, by name "
     "(columns in scheduler/vgpu/catalog_csv.hpp). A bad row stops start-up with file:line. "
     "Default none.",
     [](Config& c, std::string_view v) { c.vgpu.boards_file = std::string(v); }},
    {"vgpu_profiles_file", "PATH",
     "CSV of vGPU profiles added to or replacing the shipped catalog's, by name (columns in "
     "scheduler/vgpu/catalog_csv.hpp). A bad row stops start-up with file:line. Default none.",
     [](Config& c, std::string_view v) { c.vgpu.profiles_file = std::string(v); }},
    {"vgpu_weight_packing", "WEIGHT",
     "Weight of the packing score (fuller GPUs and hosts first), >= 0. Default 1.",
     [](Config& c, std::string_view v) { set_score_weight(c, "packing", v); }},
    {"vgpu_weight_fragmentation", "WEIGHT",
     "Weight of the fragmentation score (keep room for the recently requested profiles), >= 0. "
     "Default 1.",
     [](Config& c, std::string_view v) { set_score_weight(c, "fragmentation", v); }},
    {"vgpu_weight_energy", "WEIGHT",
     "Weight of the energy score (fewest marginal watts: busy GPUs, awake hosts), >= 0. "
     "Default 1.",
     [](Config& c, std::string_view v) { set_score_weight(c, "energy", v); }},
    {"vgpu_weight_spread", "WEIGHT",
     "Weight of the spread score (emptier GPUs first, for anti-affinity), >= 0. Default 0. "
     "The four weights may not all be 0.",
     [](Config& c, std::string_view v) { set_score_weight(c, "spread", v); }},
    {"vgpu_licence_unit", "UNIT",
     "How licence seats are counted, as the site's entitlement says: per_vm (one seat per VM "
     "and edition) or per_vgpu (one per vGPU). Default per_vm.",
     [](Config& c, std::string_view v) {
       const auto unit = scheduler::vgpu::seat_unit_from_string(lower(v));
       if (!unit) {
         throw std::invalid_argument("expected per_vm or per_vgpu, got '" + std::string(v) + "'");
       }
       c.vgpu.licences.unit = *unit;
     }},
    {"vgpu_b_borrows_vws", "",
     "B-series (vPC) vGPUs may take an RTX vWS seat once the vPC pool is exhausted (a vWS "
     "licence also satisfies B). Default false.",
     [](Config& c, std::string_view v) { c.vgpu.licences.b_series_borrows_vws = parse_bool(v); },
     true},
    {"vgpu_wake_standby_hosts", "",
     "Hosts in standby may receive new vGPUs (ranked after every awake host: they have to be "
     "woken); a request can still opt out. Off: standby hosts get no new vGPUs. Default false.",
     [](Config& c, std::string_view v) { c.vgpu.wake_standby_hosts = parse_bool(v); }, true},
    {"vgpu_request_mix_half_life", "SECONDS",
     "Half-life of the decaying histogram of requested profiles the fragmentation score "
     "protects (> 0, up to 31536000). Default 3600.",
     [](Config& c, std::string_view v) {
       const double s = parse_decimal(v);
       if (!(s > 0) || s > 31536000) {
         throw std::invalid_argument("must be > 0 and at most 31536000 seconds, got '" +
                                     std::string(v) + "'");
       }
       c.vgpu.request_mix_half_life_seconds = s;
     }},
    {"vgpu_resource_class_map", "CLASS:PROFILE,...",
     "Resource classes that name a profile without following CUSTOM_VGPU_<PROFILE> (Nova's "
     "[mdev_<type>] mdev_class), e.g. CUSTOM_GOLD:A40-4Q. Default empty.",
     [](Config& c, std::string_view v) {
       c.vgpu.resource_class_map = parse_profile_map(v, is_custom_name, "a CUSTOM_ resource class");
     }},
    {"vgpu_trait_map", "TRAIT:PROFILE,...",
     "Traits that name a profile without following CUSTOM_NVIDIA_<PROFILE>, e.g. "
     "CUSTOM_VDI_SMALL:A16-1B. Default empty.",
     [](Config& c, std::string_view v) {
       c.vgpu.trait_map = parse_profile_map(v, is_custom_name, "a CUSTOM_ trait");
     }},
    {"vgpu_mdev_type_map", "TYPE:PROFILE,...",
     "mdev type ids (Nova's enabled_mdev_types) and the profiles they are, e.g. "
     "nvidia-558:A40-4Q. Default empty.",
     [](Config& c, std::string_view v) {
       c.vgpu.mdev_type_map = parse_profile_map(v, is_mdev_type, "an mdev type id");
     }},
};

}  // namespace

std::string to_string(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "info";
}

std::span<const OptionSpec> option_table() { return kOptions; }

const OptionSpec* find_option(std::string_view key) {
  std::string normal(key);
  std::replace(normal.begin(), normal.end(), '-', '_');
  for (const auto& o : kOptions) {
    if (o.key == normal) return &o;
  }
  return nullptr;
}

std::string env_name(std::string_view key) {
  std::string out = "VGPU_PLACEMENT_";
  for (char c : key) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string flag_name(std::string_view key) {
  std::string out = "--" + std::string(key);
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

std::string options_help() {
  std::string out;
  for (const auto& o : kOptions) {
    out += "  " + flag_name(o.key);
    if (!o.is_switch) out += " " + std::string(o.value_name);
    out += "   (" + env_name(o.key) + ", ini: " + std::string(o.key) + ")\n      " +
           std::string(o.help) + "\n";
  }
  return out;
}

}  // namespace vgpu::config
