#include "scheduler/sim/power_metrics.hpp"

#include <stdexcept>

namespace vgpu::scheduler::sim {
namespace {

std::vector<ProviderId> gpus_of(const State& state, const SimHost& host) {
  if (!host.gpus.empty()) return host.gpus;
  std::vector<ProviderId> out;
  if (const ManagedHost* managed = state.managed_host_of_root(host.root))
    for (const Uuid& uuid : managed->gpus)
      if (const Provider* p = state.provider(uuid)) out.push_back(p->id);
  return out;
}

}  // namespace

std::string power_board(const vgpu::Catalog& catalog, std::string_view model,
                        std::string_view fallback) {
  if (catalog.find_board(model)) return std::string(model);
  for (const auto& [trace_model, board] : kTraceModelBoards)
    if (trace_model == model) return std::string(board);
  return std::string(fallback);
}

ClusterPower::ClusterPower(const SimCluster& cluster, const vgpu::Catalog& catalog,
                           PowerConfig config)
    : catalog_(&catalog) {
  const State& state = cluster.state();
  for (const SimHost& host : cluster.hosts()) {
    const HostSpec& spec = cluster.spec().hosts.at(host.spec);
    vgpu::HostPowerFigures figures;
    figures.idle_watts = config.host_idle_watts;
    figures.standby_watts = config.standby_watts;
    std::vector<vgpu::GpuPower> defaults;
    std::vector<std::string> names;
    gpus_.push_back(gpus_of(state, host));
    for (ProviderId gpu : gpus_.back()) {
      const ManagedGpu* managed = state.managed_gpu(gpu);
      std::string name = managed ? catalog.board(managed->gpu.board).name
                                 : power_board(catalog, spec.model, config.fallback_board);
      const auto board = catalog.find_board(name);
      if (!board)
        throw std::invalid_argument("power: board '" + name + "' (GPU model '" + spec.model +
                                    "') is not in the catalog");
      defaults.push_back(vgpu::default_gpu_power(catalog.board(*board)));
      figures.gpus.push_back(managed ? managed->power : vgpu::GpuPowerFigures{});
      names.push_back(std::move(name));
    }
    power_.push_back(vgpu::resolve(figures, defaults));
    boards_.push_back(std::move(names));
  }
}

HostReading ClusterPower::read(const SimCluster& cluster, std::size_t h) const {
  const State& state = cluster.state();
  const SimHost& host = cluster.hosts().at(h);
  const std::vector<ProviderId>& gpus = gpus_[h];
  HostReading out;
  const Provider* root = state.provider(host.root);
  bool anything = root && !root->consumers.empty();
  std::vector<int> resident(gpus.size(), 0);
  for (std::size_t g = 0; g < gpus.size(); ++g) {
    const Provider* p = state.provider(gpus[g]);
    const int consumers = p ? static_cast<int>(p->consumers.size()) : 0;
    const ManagedGpu* managed = state.managed_gpu(gpus[g]);
    int vgpus = consumers;
    if (managed && !managed->gpu.placed.empty()) {
      vgpus = static_cast<int>(managed->gpu.placed.size());
      for (const vgpu::PlacedVgpu& v : managed->gpu.placed)
        ++out.seats[static_cast<std::size_t>(catalog_->profile(v.profile).edition)];
    } else if (managed && consumers > 0 && !managed->gpu.supported.empty()) {
      // No assignment recorded (a mode that claims plain allocations): the GPU's profile is its
      // first supported one, as in equal-size mode with one profile per GPU.
      const auto edition = catalog_->profile(managed->gpu.supported.front()).edition;
      out.seats[static_cast<std::size_t>(edition)] += consumers;
    }
    resident[g] = vgpus;
    if (vgpus > 0) {
      ++out.active_gpus;
      anything = true;
    }
  }
  out.awake = anything;
  // host_watts counts a host with a vGPU resident as awake whatever the state; CPU-only pods
  // are not vGPUs, so the state says awake for them.
  out.watts = vgpu::host_watts(power_[h],
                               anything ? vgpu::HostPowerState::active : vgpu::HostPowerState::standby,
                               resident);
  return out;
}

}  // namespace vgpu::scheduler::sim
