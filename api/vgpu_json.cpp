#include "api/vgpu_json.hpp"

#include <algorithm>

#include "scheduler/vgpu/name_resolver.hpp"
#include "scheduler/vgpu/power_model.hpp"

namespace vgpu::api {
namespace {

namespace sv = scheduler::vgpu;

nlohmann::json optional_number(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json slot_placement_json(const std::optional<sv::SlotPlacement>& p) {
  if (!p) return nullptr;
  return {{"size", p->size}, {"starts", p->starts}};
}

std::string_view naming_text(scheduler::VgpuNaming n) {
  return n == scheduler::VgpuNaming::trait ? "trait" : "resource_class";
}

}  // namespace

bool valid_hostname(std::string_view h) {
  return !h.empty() && h.size() <= 183 && std::all_of(h.begin(), h.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '-' || c == '_';
  });
}

const char* const kHostReportSchema = R"({
  "type": "object",
  "properties": {
    "root_uuid": {"type": "string", "format": "uuid"},
    "gpus": {"type": "array", "maxItems": 64, "items": {
      "type": "object",
      "properties": {
        "pci_address": {"type": "string", "maxLength": 32},
        "board": {"type": "string", "minLength": 1, "maxLength": 32},
        "mode": {"enum": ["equal_size", "mixed_size", "mig"]},
        "supported_profiles": {"type": "array", "maxItems": 256, "uniqueItems": true,
                               "items": {"type": "string", "minLength": 1, "maxLength": 64}},
        "naming": {"enum": ["resource_class", "trait"]},
        "power": {"type": "object", "properties": {
          "idle_watts": {"type": "number", "minimum": 0},
          "busy_watts": {"type": "number", "minimum": 0},
          "per_vgpu_watts": {"type": "number", "minimum": 0}},
          "additionalProperties": false}
      },
      "required": ["pci_address", "board"],
      "additionalProperties": false}},
    "power": {"type": "object", "properties": {
      "idle_watts": {"type": "number", "minimum": 0},
      "standby_watts": {"type": "number", "minimum": 0}},
      "additionalProperties": false},
    "vgpus": {"type": "array", "maxItems": 4096, "items": {
      "type": "object",
      "properties": {
        "profile": {"type": "string", "minLength": 1, "maxLength": 64},
        "gpu": {"type": "string", "maxLength": 32},
        "start": {"type": "integer", "minimum": 0, "maximum": 1024},
        "consumer": {"type": "string", "format": "uuid"}
      },
      "required": ["profile", "gpu"],
      "additionalProperties": false}}
  },
  "required": ["gpus"],
  "additionalProperties": false
})";

const char* const kHostPatchSchema = R"({
  "type": "object",
  "properties": {"state": {"enum": ["active", "draining", "standby"]}},
  "required": ["state"],
  "additionalProperties": false
})";

const char* const kLicencePoolsSchema = R"({
  "type": "object",
  "properties": {
    "pools": {"type": "object",
      "patternProperties": {"^(rtx_vws|vpc|vapps|ai_enterprise)$": {
        "type": "object",
        "properties": {
          "total": {"anyOf": [{"type": "integer", "minimum": 0, "maximum": 1000000000},
                              {"type": "null"}]},
          "reserve": {"type": "integer", "minimum": 0, "maximum": 1000000000}
        },
        "additionalProperties": false}},
      "additionalProperties": false}
  },
  "required": ["pools"],
  "additionalProperties": false
})";

sv::HostReport host_report_from_json(const nlohmann::json& body, const std::string& hostname) {
  sv::HostReport r;
  r.hostname = hostname;
  if (body.contains("root_uuid")) r.root_uuid = scheduler::Uuid::parse(body["root_uuid"].get<std::string>());
  for (const auto& g : body["gpus"]) {
    sv::ReportedGpu gpu;
    gpu.pci_address = g["pci_address"].get<std::string>();
    gpu.board = g["board"].get<std::string>();
    if (g.contains("mode")) gpu.mode = *sv::gpu_mode_from_string(g["mode"].get<std::string>());
    if (g.contains("supported_profiles"))
      gpu.supported_profiles = g["supported_profiles"].get<std::vector<std::string>>();
    if (g.contains("naming") && g["naming"] == "trait") gpu.naming = scheduler::VgpuNaming::trait;
    if (g.contains("power")) {
      const auto& p = g["power"];
      if (p.contains("idle_watts")) gpu.power.idle_watts = p["idle_watts"].get<double>();
      if (p.contains("busy_watts")) gpu.power.busy_watts = p["busy_watts"].get<double>();
      if (p.contains("per_vgpu_watts")) gpu.power.per_vgpu_watts = p["per_vgpu_watts"].get<double>();
    }
    r.gpus.push_back(std::move(gpu));
  }
  if (body.contains("power")) {
    const auto& p = body["power"];
    if (p.contains("idle_watts")) r.idle_watts = p["idle_watts"].get<double>();
    if (p.contains("standby_watts")) r.standby_watts = p["standby_watts"].get<double>();
  }
  if (body.contains("vgpus")) {
    for (const auto& v : body["vgpus"]) {
      sv::ReportedVgpu live;
      live.profile = v["profile"].get<std::string>();
      live.gpu = v["gpu"].get<std::string>();
      if (v.contains("start")) live.start = v["start"].get<int>();
      if (v.contains("consumer")) live.consumer = scheduler::Uuid::parse(v["consumer"].get<std::string>());
      r.vgpus.push_back(std::move(live));
    }
  }
  return r;
}

std::string profile_name(const sv::Catalog& catalog, sv::ProfileIndex profile) {
  if (profile < 0 || static_cast<std::size_t>(profile) >= catalog.profiles().size())
    return "unknown";
  return catalog.profile(profile).name;
}

nlohmann::json host_json(const scheduler::State& state, const sv::VgpuConfig& config,
                         const sv::HostSummary& summary) {
  const scheduler::ManagedHost& host = *summary.host;
  const sv::Catalog& catalog = config.catalog;
  nlohmann::json gpus = nlohmann::json::array();
  for (const sv::GpuSummary& g : summary.gpus) {
    const scheduler::ManagedGpu& m = *g.gpu;
    nlohmann::json placed = nlohmann::json::array();
    for (const sv::PlacedVgpu& v : m.gpu.placed)
      placed.push_back({{"profile", profile_name(catalog, v.profile)}, {"start", v.start}});
    nlohmann::json profiles = nlohmann::json::object();
    for (const sv::ProfileUse& u : g.profiles)
      profiles[profile_name(catalog, u.profile)] = {{"used", u.used}, {"free", u.free}};
    const bool known_board =
        m.gpu.board >= 0 && static_cast<std::size_t>(m.gpu.board) < catalog.boards().size();
    gpus.push_back({
        {"pci_address", m.pci_address},
        {"provider_uuid", m.provider_uuid.str()},
        {"provider_name", g.provider ? nlohmann::json(g.provider->name) : nlohmann::json(nullptr)},
        {"board", known_board ? catalog.board(m.gpu.board).name : std::string("unknown")},
        {"mode", std::string(sv::to_string(m.gpu.mode))},
        {"naming", std::string(naming_text(m.naming))},
        {"vgpus", g.vgpus},
        {"placed", std::move(placed)},
        {"profiles", std::move(profiles)},
        {"power", {{"idle_watts", optional_number(m.power.idle_watts)},
                   {"busy_watts", optional_number(m.power.busy_watts)},
                   {"per_vgpu_watts", optional_number(m.power.per_vgpu_watts)}}},
        {"watts", g.watts},
    });
  }
  (void)state;
  return {
      {"hostname", host.hostname},
      {"root_provider_uuid", host.root_uuid.str()},
      {"state", std::string(sv::to_string(host.state))},
      {"power", {{"idle_watts", host.idle_watts}, {"standby_watts", host.standby_watts}}},
      {"vgpus", summary.vgpus},
      {"watts", summary.watts},
      {"gpus", std::move(gpus)},
  };
}

nlohmann::json board_json(const sv::Board& b) {
  return {{"name", b.name},
          {"gpus_per_board", b.gpus_per_board},
          {"framebuffer_mb", b.framebuffer_mb},
          {"mixed_size_capable", b.mixed_size_capable},
          {"mixed_size_slots", b.mixed_size_slots},
          {"mig_capable", b.mig_capable},
          {"mig_compute_slices", b.mig_compute_slices},
          {"mig_memory_slices", b.mig_memory_slices},
          {"idle_watts", b.idle_watts},
          {"busy_watts", b.busy_watts}};
}

nlohmann::json profile_json(const sv::VgpuConfig& config, sv::ProfileIndex index) {
  const sv::Profile& p = config.catalog.profile(index);
  return {{"name", p.name},
          {"board", config.catalog.board(p.board).name},
          {"series", std::string(sv::to_string(p.series))},
          {"edition", std::string(sv::to_string(p.edition))},
          {"framebuffer_mb", p.framebuffer_mb},
          {"max_equal_size", p.max_equal_size},
          {"max_mixed_size", p.max_mixed_size},
          {"mixed_placement", slot_placement_json(p.mixed_placement)},
          {"mig_profile", p.is_mig() ? nlohmann::json(p.mig_profile) : nlohmann::json(nullptr)},
          {"max_mig", p.max_mig},
          {"mig_placement", slot_placement_json(p.mig_placement)},
          {"resource_class", sv::resource_class_for(config, index)},
          {"trait", sv::trait_for(config, index)}};
}

nlohmann::json licence_pools_json(const sv::LicencePools& pools, const sv::LicenceConfig& config) {
  nlohmann::json out = nlohmann::json::object();
  for (int e = 0; e < sv::kEditionCount; ++e) {
    const auto edition = static_cast<sv::Edition>(e);
    const sv::LicencePool& pool = pools[edition];
    const auto free = sv::free_seats(pool);
    out[std::string(sv::to_string(edition))] = {
        {"total", pool.total ? nlohmann::json(*pool.total) : nlohmann::json(nullptr)},
        {"reserve", pool.reserve},
        {"used", pool.used},
        {"free", free ? nlohmann::json(*free) : nlohmann::json(nullptr)}};
  }
  return {{"unit", std::string(sv::to_string(config.unit))},
          {"b_series_borrows_vws", config.b_series_borrows_vws},
          {"pools", std::move(out)}};
}

sv::LicencePools licence_pools_from_json(const nlohmann::json& body) {
  sv::LicencePools pools;
  for (const auto& [name, value] : body["pools"].items()) {
    sv::LicencePool& pool = pools[*sv::edition_from_string(name)];
    if (value.contains("total") && !value["total"].is_null())
      pool.total = value["total"].get<std::int64_t>();
    if (value.contains("reserve")) pool.reserve = value["reserve"].get<std::int64_t>();
  }
  return pools;
}

}  // namespace vgpu::api
