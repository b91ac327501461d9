#include "service/store/vgpu_reader.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/vgpu/power_model.hpp"
#include "service/store/database.hpp"

namespace vgpu::store {
namespace {

using namespace scheduler;

Uuid parse_uuid(const std::string& text) {
  auto u = Uuid::parse(text);
  if (!u) throw Unavailable("database holds an invalid provider uuid: " + text);
  return *u;
}

vgpu::ProfileIndex profile_index(const vgpu::Catalog& catalog, std::string_view name) {
  return catalog.find_profile(name).value_or(-1);
}

std::optional<double> optional_real(const sql::Row& r, int column) {
  if (r.is_null(column)) return std::nullopt;
  return r.real(column);
}

// "A40-4Q,A40-8Q" -> indices, in order.
std::vector<vgpu::ProfileIndex> profile_list(const vgpu::Catalog& catalog, std::string_view text) {
  std::vector<vgpu::ProfileIndex> out;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    out.push_back(profile_index(catalog, text.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

void read_vgpu_layer(sql::Session& s, const vgpu::Catalog& catalog, State& state) {
  // By hostname, so that hosts are loaded in a stable order.
  std::map<std::string, std::pair<ManagedHost, std::vector<ManagedGpu>>> hosts;
  s.query("SELECT h.hostname, h.root_provider_id, p.uuid, h.state, h.idle_watts, "
          "h.standby_watts, h.updated_at FROM managed_hosts h "
          "JOIN resource_providers p ON p.id = h.root_provider_id",
          {}, [&](const sql::Row& r) {
            ManagedHost h;
            h.hostname = r.text(0);
            h.root = r.integer(1);
            h.root_uuid = parse_uuid(r.text(2));
            // The schema's CHECK allows only the three names.
            h.state = vgpu::host_power_state_from_string(r.text(3))
                          .value_or(vgpu::HostPowerState::active);
            h.idle_watts = r.real(4);
            h.standby_watts = r.real(5);
            h.updated_at = r.integer(6);
            hosts[h.hostname].first = std::move(h);
          });
  s.query("SELECT g.provider_id, p.uuid, g.hostname, g.pci_address, g.board, g.mode, g.naming, "
          "g.supported_profiles, g.idle_watts, g.busy_watts, g.per_vgpu_watts "
          "FROM managed_gpus g JOIN resource_providers p ON p.id = g.provider_id "
          "ORDER BY g.hostname, g.position",
          {}, [&](const sql::Row& r) {
            ManagedGpu g;
            g.provider = r.integer(0);
            g.provider_uuid = parse_uuid(r.text(1));
            g.hostname = r.text(2);
            g.pci_address = r.text(3);
            g.gpu.board = catalog.find_board(r.text(4)).value_or(-1);
            g.gpu.mode = vgpu::gpu_mode_from_string(r.text(5)).value_or(vgpu::GpuMode::equal_size);
            g.naming = r.text(6) == "trait" ? VgpuNaming::trait : VgpuNaming::resource_class;
            g.gpu.supported = profile_list(catalog, r.text(7));
            g.power.idle_watts = optional_real(r, 8);
            g.power.busy_watts = optional_real(r, 9);
            g.power.per_vgpu_watts = optional_real(r, 10);
            auto& host = hosts[g.hostname];  // the foreign key guarantees the host row
            host.first.gpus.push_back(g.provider_uuid);
            host.second.push_back(std::move(g));
          });
  for (auto& [name, host] : hosts) {
    state.load_managed_host(std::move(host.first), std::move(host.second));
  }

  LicencePools pools;
  s.query("SELECT edition, total, reserve, used FROM licence_pools", {}, [&](const sql::Row& r) {
    const auto edition = vgpu::edition_from_string(r.text(0));
    if (!edition) return;  // the schema's CHECK allows only known editions
    vgpu::LicencePool& pool = pools[*edition];
    if (!r.is_null(1)) pool.total = r.integer(1);
    pool.reserve = r.integer(2);
    pool.used = r.integer(3);
  });
  state.load_licence_pools(pools);
}

void read_consumer_vgpus(sql::Session& s, const vgpu::Catalog& catalog,
                         std::unordered_map<ConsumerId, Consumer>& consumers) {
  // Rows whose consumer is missing cannot exist (foreign keys, one read snapshot), hence at().
  s.query("SELECT consumer_id, gpu_provider_id, profile, start_slot FROM vgpu_assignments "
          "ORDER BY consumer_id, ordinal",
          {}, [&](const sql::Row& r) {
            consumers.at(r.integer(0))
                .vgpus.push_back({r.integer(1), profile_index(catalog, r.text(2)),
                                  static_cast<std::int32_t>(r.integer(3))});
          });
  s.query("SELECT consumer_id, edition, seats FROM seat_holdings", {}, [&](const sql::Row& r) {
    const auto edition = vgpu::edition_from_string(r.text(1));
    if (!edition) return;
    consumers.at(r.integer(0))
        .seats.push_back({static_cast<std::uint8_t>(*edition), r.integer(2)});
  });
  // Editions in their enum order: one canonical order whatever the rows' order.
  for (auto& [id, c] : consumers) {
    std::sort(c.seats.begin(), c.seats.end(),
              [](const SeatHold& a, const SeatHold& b) { return a.edition < b.edition; });
  }
}

}  // namespace vgpu::store
