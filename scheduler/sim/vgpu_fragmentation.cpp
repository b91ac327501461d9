#include "scheduler/sim/vgpu_fragmentation.hpp"

#include <algorithm>

#include "scheduler/sim/vgpu_mode.hpp"
#include "scheduler/vgpu/placement_rules.hpp"

namespace vgpu::scheduler::sim {

VgpuFragmentation::VgpuFragmentation(TargetWorkload target, const vgpu::Catalog& catalog,
                                     std::int64_t units_per_gpu)
    : target_(std::move(target)), catalog_(catalog), units_(units_per_gpu) {
  for (const TargetPod& t : target_.pods) cpu_steps_.push_back(t.cpu_milli);
  std::sort(cpu_steps_.begin(), cpu_steps_.end());
  cpu_steps_.erase(std::unique(cpu_steps_.begin(), cpu_steps_.end()), cpu_steps_.end());
}

bool VgpuFragmentation::can_take(const vgpu::GpuState& gpu, std::int64_t units) const {
  auto consider = [&](vgpu::ProfileIndex p) {
    return vgpu_profile_units(catalog_, p) == units && vgpu::free_count(catalog_, gpu, p) > 0;
  };
  if (!gpu.supported.empty()) return std::any_of(gpu.supported.begin(), gpu.supported.end(), consider);
  const auto all = catalog_.profiles_of(gpu.board);
  return std::any_of(all.begin(), all.end(), consider);
}

double VgpuFragmentation::amount_uncached(std::int64_t cpu_left,
                                          const std::vector<VgpuNodeGpu>& gpus) const {
  std::int64_t total_left = 0;
  for (const VgpuNodeGpu& g : gpus) total_left += g.left;
  double frag = 0;
  for (const TargetPod& t : target_.pods) {
    if (t.num_gpu == 0 || t.cpu_milli > cpu_left) {
      frag += t.weight * static_cast<double>(total_left);
      continue;
    }
    const std::int64_t units = t.num_gpu > 1 ? units_ : t.gpu_milli;
    int takers = 0;
    std::int64_t stuck = 0;  // left on GPUs that cannot take t
    for (const VgpuNodeGpu& g : gpus) {
      if (can_take(*g.gpu, units)) ++takers;
      else stuck += g.left;
    }
    frag += t.weight * static_cast<double>(takers >= t.num_gpu ? stuck : total_left);
  }
  return frag;
}

double VgpuFragmentation::amount(std::int64_t cpu_left, const std::vector<VgpuNodeGpu>& gpus) const {
  // Key: how many target CPU asks the node meets, then per GPU (sorted) its fixed profile (or
  // -1), its share left and its vGPUs (profile, start) — all the measure depends on.
  std::vector<std::int64_t> key;
  key.push_back(std::upper_bound(cpu_steps_.begin(), cpu_steps_.end(), cpu_left) - cpu_steps_.begin());
  std::vector<std::vector<std::int64_t>> per_gpu;
  for (const VgpuNodeGpu& g : gpus) {
    std::vector<std::int64_t> k{g.gpu->supported.size() == 1 ? g.gpu->supported.front() : -1, g.left,
                                g.gpu->board};
    std::vector<std::int64_t> placed;
    for (const vgpu::PlacedVgpu& v : g.gpu->placed) placed.push_back(v.profile * 1024 + v.start);
    std::sort(placed.begin(), placed.end());
    k.insert(k.end(), placed.begin(), placed.end());
    k.push_back(-2);
    per_gpu.push_back(std::move(k));
  }
  std::sort(per_gpu.begin(), per_gpu.end());
  for (const auto& k : per_gpu) key.insert(key.end(), k.begin(), k.end());
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  const double a = amount_uncached(cpu_left, gpus);
  memo_.emplace(std::move(key), a);
  return a;
}

}  // namespace vgpu::scheduler::sim
