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

std::string FgdFragmentation::key(const NodeView& node) const {
  // Which target CPU asks the node still meets, its model, and its GPUs' share left sorted.
  const auto cpu_rank = static_cast<std::uint32_t>(
      std::upper_bound(cpu_steps_.begin(), cpu_steps_.end(), node.cpu_left) - cpu_steps_.begin());
  std::vector<std::int64_t> gpus = node.gpu_left;
  std::sort(gpus.begin(), gpus.end());
  std::string k;
  k.reserve(8 + 8 * gpus.size());
  auto put = [&k](std::uint64_t v) { k.append(reinterpret_cast<const char*>(&v), sizeof v); };
  put(cpu_rank);
  put(node.model ? *node.model + 1u : 0u);
  for (std::int64_t g : gpus) put(static_cast<std::uint64_t>(g));
  return k;
}

double FgdFragmentation::amount(const NodeView& node) const {
  if (node.gpu_left.empty()) return 0;
  std::string k = key(node);
  if (auto it = memo_.find(k); it != memo_.end()) return it->second;
  const double v = amount_uncached(node);
  memo_.emplace(std::move(k), v);
  return v;
}

}  // namespace vgpu::scheduler::sim
