#pragma once
// JSON of the vGPU API (/vgpu/v1): the host report in, and the views out (hosts, catalog,
// licence pools). Shapes are documented in api/vgpu-openapi.yaml; the handlers validate bodies
// against the schemas here before converting them, so conversions may assume well-typed input.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "scheduler/model/state.hpp"
#include "scheduler/vgpu/capacity.hpp"
#include "scheduler/vgpu/catalog.hpp"
#include "scheduler/vgpu/host_report.hpp"
#include "scheduler/vgpu/licence_pool.hpp"
#include "scheduler/vgpu/vgpu_config.hpp"

namespace vgpu::api {

// Error codes of the vGPU API (stable, never renamed), besides Placement's own.
namespace vgpu_code {
inline constexpr std::string_view kHostNotFound = "vgpu.host.not_found";
inline constexpr std::string_view kHostInUse = "vgpu.host.in_use";        // report vs. allocations
inline constexpr std::string_view kLicenceInUse = "vgpu.licence.in_use";  // total below used
inline constexpr std::string_view kUnknownProfile = "vgpu.profile.unknown";
inline constexpr std::string_view kUnknownBoard = "vgpu.board.unknown";
}  // namespace vgpu_code

// Hostnames as Nova's hypervisor_hostname: letters, digits, '.', '-', '_', at most 183
// characters (so that "<hostname>_pci_0000_84_00_0" fits Placement's 200 for a name).
bool valid_hostname(std::string_view hostname);

// JSON Schema texts (api/json_schema.hpp subset).
extern const char* const kHostReportSchema;
extern const char* const kHostPatchSchema;
extern const char* const kLicencePoolsSchema;

// A validated body of PUT /vgpu/v1/hosts/{hostname}.
scheduler::vgpu::HostReport host_report_from_json(const nlohmann::json& body,
                                                  const std::string& hostname);

// GET /vgpu/v1/hosts/{hostname}: the host, its GPUs (what is placed, used and free per
// supported profile, modelled watts) and its state.
nlohmann::json host_json(const scheduler::State& state, const scheduler::vgpu::VgpuConfig& config,
                         const scheduler::vgpu::HostSummary& summary);

std::string profile_name(const scheduler::vgpu::Catalog& catalog,
                         scheduler::vgpu::ProfileIndex profile);  // "unknown" for -1
nlohmann::json board_json(const scheduler::vgpu::Board& board);
nlohmann::json profile_json(const scheduler::vgpu::VgpuConfig& config,
                            scheduler::vgpu::ProfileIndex profile);

// GET /vgpu/v1/licenses.
nlohmann::json licence_pools_json(const scheduler::vgpu::LicencePools& pools,
                                  const scheduler::vgpu::LicenceConfig& config);
// A validated body of PUT /vgpu/v1/licenses: every edition not named is unlimited.
scheduler::vgpu::LicencePools licence_pools_from_json(const nlohmann::json& body);

}  // namespace vgpu::api
