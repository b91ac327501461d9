#include "scheduler/vgpu/power_model.hpp"
#include "scheduler/vgpu/text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace vgpu::scheduler::vgpu {
std::string_view to_string(HostPowerState s) {
  switch (s) {
    case HostPowerState::active: return "active";
    case HostPowerState::draining: return "draining";
    case HostPowerState::standby: return "standby";
  }
  return "active";
}

std::optional<HostPowerState> host_power_state_from_string(std::string_view s) {
  if (s == "active") return HostPowerState::active;
  if (s == "draining") return HostPowerState::draining;
  if (s == "standby") return HostPowerState::standby;
  return std::nullopt;
}

HostPower resolve(const HostPowerFigures& figures, std::span<const GpuPower> defaults) {
  HostPower host{figures.idle_watts, figures.standby_watts, {}};
  host.gpus.reserve(figures.gpus.size());
  for (std::size_t i = 0; i < figures.gpus.size(); ++i) {
    const GpuPowerFigures& f = figures.gpus[i];
    const GpuPower d = i < defaults.size() ? defaults[i] : GpuPower{};
    host.gpus.push_back({f.idle_watts.value_or(d.idle_watts), f.busy_watts.value_or(d.busy_watts),
                         f.per_vgpu_watts.value_or(d.per_vgpu_watts)});
  }
  return host;
}

double gpu_watts(const GpuPower& g, int vgpus) {
  if (vgpus <= 0) return g.idle_watts;
  return g.busy_watts + g.per_vgpu_watts * (vgpus - 1);
}

double host_watts(const HostPower& host, HostPowerState state, std::span<const int> vgpus_per_gpu) {
  const bool any_resident =
      std::any_of(vgpus_per_gpu.begin(), vgpus_per_gpu.end(), [](int n) { return n > 0; });
  if (!is_awake(state) && !any_resident) return host.standby_watts;
  double watts = host.idle_watts;
  for (std::size_t i = 0; i < host.gpus.size(); ++i) {
    watts += gpu_watts(host.gpus[i], i < vgpus_per_gpu.size() ? vgpus_per_gpu[i] : 0);
  }
  return watts;
}

double marginal_watts(const HostPower& host, HostPowerState state,
                      std::span<const int> vgpus_per_gpu, std::size_t gpu) {
  // Difference of the totals, so the marginal and the simulator's energy never disagree.
  std::vector<int> after(host.gpus.size(), 0);
  for (std::size_t i = 0; i < after.size() && i < vgpus_per_gpu.size(); ++i) {
    after[i] = vgpus_per_gpu[i];
  }
  const double before = host_watts(host, state, after);
  if (gpu < after.size()) ++after[gpu];
  return std::max(0.0, host_watts(host, state, after) - before);
}

std::optional<std::string> validate(const HostPower& host) {
  auto bad = [](double w) { return !std::isfinite(w) || w < 0; };
  auto must = [](const std::string& field, double w) {
    return field + " must be a finite number >= 0 (got " + number_text(w) + ")";
  };
  if (bad(host.idle_watts)) return must("host idle_watts", host.idle_watts);
  if (bad(host.standby_watts)) return must("host standby_watts", host.standby_watts);
  for (std::size_t i = 0; i < host.gpus.size(); ++i) {
    const GpuPower& g = host.gpus[i];
    const std::string gpu = "gpu " + std::to_string(i) + " ";
    if (bad(g.idle_watts)) return must(gpu + "idle_watts", g.idle_watts);
    if (bad(g.busy_watts)) return must(gpu + "busy_watts", g.busy_watts);
    if (bad(g.per_vgpu_watts)) return must(gpu + "per_vgpu_watts", g.per_vgpu_watts);
    if (g.busy_watts < g.idle_watts) {
      return gpu + "busy_watts " + number_text(g.busy_watts) + " is below idle_watts " +
             number_text(g.idle_watts);
    }
  }
  return std::nullopt;
}

}  // namespace vgpu::scheduler::vgpu
