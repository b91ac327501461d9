#pragma once
// Modelled power of a simulated cluster, host by host, for the time-driven protocol's energy
// (time_protocol.hpp). The formulas are the vGPU layer's (scheduler/vgpu/power_model.hpp:
// host_watts, the boards' idle/busy watts); this file only decides which board each GPU is and
// what counts as resident on it:
// - a GPU's board: the vGPU layer's managed GPU when the mode built one (vGPU mode), else the
//   host's model when the catalog has a board of that name (native traces name boards), else
//   the trace model mapped to a board for power only (kTraceModelBoards below), else
//   PowerConfig::fallback_board;
// - a host's GPUs: SimHost::gpus, or, when the mode reported the host through the vGPU layer
//   (no SimHost::gpus), its managed host's GPUs in their order;
// - vGPUs resident on a GPU: the managed GPU's placed vGPUs, else the consumers holding an
//   allocation on the GPU's provider (one pod = one "vGPU" for power);
// - a host is awake when anything is placed on it (CPU-only pods too: they keep the host up),
//   asleep otherwise; asleep it draws PowerConfig::standby_watts (0 by default: a suspended or
//   powered-off host), awake host idle + each GPU's idle or busy watts.
// Licence seats: one per placed vGPU of a managed GPU, in its profile's edition (fractional
// mode has no vGPUs: 0).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scheduler/sim/sim_cluster.hpp"
#include "scheduler/vgpu/catalog.hpp"
#include "scheduler/vgpu/power_model.hpp"

namespace vgpu::scheduler::sim {

// The Alibaba v2023 models mapped to a catalog board of the same power class, for power only
// (max board power: P100 250 W, V100 250-300 W, T4 70 W, A10 150 W; G2/G3 are undisclosed
// 8-GPU data-centre parts, taken as A100 40 GB).
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kTraceModelBoards{{
    {"G2", "A100"},
    {"G3", "A100"},
    {"P100", "A100"},
    {"V100M16", "A100"},
    {"V100M32", "A100D"},
    {"T4", "L4"},
    {"A10", "A30"},
}};

struct PowerConfig {
  // The host without its GPUs, awake: CPUs, memory, fans, PSU losses. A two-socket server idles
  // at roughly 150-250 W; the vGPU layer has no default (hosts report theirs), so this is ours.
  double host_idle_watts = 200;
  double standby_watts = 0;     // a host with nothing placed (asleep), GPUs included
  std::string fallback_board = "A100";
};

// One host's reading now.
struct HostReading {
  bool awake = false;
  int active_gpus = 0;                            // GPUs with anything resident
  double watts = 0;
  std::array<std::int64_t, vgpu::kEditionCount> seats{};  // by vgpu::Edition
};

class ClusterPower {
 public:
  // Resolves every host's board figures once. Throws std::invalid_argument when neither a
  // board nor the fallback is in the catalog.
  ClusterPower(const SimCluster& cluster, const vgpu::Catalog& catalog, PowerConfig config);

  // Host `h` (index in cluster.hosts()) as the cluster's state has it now.
  HostReading read(const SimCluster& cluster, std::size_t h) const;

  // The board name used for GPU `gpu` of host `h` (for the documentation and tests).
  const std::string& board_of(std::size_t h, std::size_t gpu) const { return boards_[h][gpu]; }
  const vgpu::HostPower& host_power(std::size_t h) const { return power_[h]; }

 private:
  const vgpu::Catalog* catalog_;
  std::vector<std::vector<ProviderId>> gpus_;  // per host, in GPU order
  std::vector<vgpu::HostPower> power_;
  std::vector<std::vector<std::string>> boards_;
};

// The board a trace model maps to for power: the catalog's board of that name, else
// kTraceModelBoards, else `fallback`.
std::string power_board(const vgpu::Catalog& catalog, std::string_view model,
                        std::string_view fallback);

}  // namespace vgpu::scheduler::sim
