#include "scheduler/sim/fgd_fragmentation.hpp"

#include <algorithm>

namespace vgpu::scheduler::sim {

FgdFragmentation::FgdFragmentation(
    TargetWorkload target,
    const std::function<std::optional<TraitId>(std::string_view)>& model_trait)
    : target_(std::move(target)) {
  for (const TargetPod& p : target_.pods) {
    Shape s{p.cpu_milli, p.gpu_milli, p.num_gpu, {}, false, p.weight};
    for (const std::string& m : p.gpu_spec)
      if (auto t = model_trait(m)) s.models.push_back(*t);
    s.impossible = !p.gpu_spec.empty() && s.models.empty();
    shapes_.push_back(std::move(s));
    cpu_steps_.push_back(p.cpu_milli);
  }
  std::sort(cpu_steps_.begin(), cpu_steps_.end());
  cpu_steps_.erase(std::unique(cpu_steps_.begin(), cpu_steps_.end()), cpu_steps_.end());
}

double FgdFragmentation::amount_uncached(const NodeView& node) const {
  const std::int64_t left = node.gpu_left_total();
  if (left == 0) return 0;
  double frag = 0;
  for (const Shape& s : shapes_) {
    bool fits = s.gpu_milli > 0 && !s.impossible && node.cpu_left >= s.cpu_milli;
    if (fits && !s.models.empty())
      fits = node.model && std::find(s.models.begin(), s.models.end(), *node.model) != s.models.end();
    std::int64_t short_share = 0;  // share left on GPUs too full for s
    if (fits) {
      int able = 0;
      for (std::int64_t g : node.gpu_left) {
        if (g >= s.gpu_milli) ++able;
        else short_share += g;
      }
      fits = able >= s.num_gpu;
    }
    frag += s.weight * static_cast<double>(fits ? short_share : left);
  }
  return frag;
}

std::optional<FgdFragmentation::Key> FgdFragmentation::key(const NodeView& node) const {
  constexpr std::size_t kMaxGpus = 8;
  constexpr std::int64_t kMaxShare = 0xFFFF;
  if (node.gpu_left.size() > kMaxGpus) return std::nullopt;
  std::array<std::int64_t, kMaxGpus> gpus{};
  std::size_t n = 0;
  for (std::int64_t g : node.gpu_left) {
    if (g < 0 || g > kMaxShare) return std::nullopt;
    gpus[n++] = g;
  }
  std::sort(gpus.begin(), gpus.begin() + static_cast<std::ptrdiff_t>(n));
  const auto cpu_rank = static_cast<std::uint64_t>(
      std::upper_bound(cpu_steps_.begin(), cpu_steps_.end(), node.cpu_left) - cpu_steps_.begin());
  Key k{0, 0, 0};
  for (std::size_t i = 0; i < n; ++i)
    k[i / 4] |= static_cast<std::uint64_t>(gpus[i]) << (16 * (i % 4));
  k[2] = cpu_rank | (static_cast<std::uint64_t>(node.model ? *node.model + 1 : 0) << 32) |
         (static_cast<std::uint64_t>(n) << 56);
  return k;
}

double FgdFragmentation::amount(const NodeView& node) const {
  if (node.gpu_left.empty()) return 0;
  const std::optional<Key> k = key(node);
  if (!k) return amount_uncached(node);
  if (auto it = memo_.find(*k); it != memo_.end()) return it->second;
  const double v = amount_uncached(node);
  memo_.emplace(*k, v);
  return v;
}

}  // namespace vgpu::scheduler::sim
