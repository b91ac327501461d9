#include "scheduler/sim/target_workload.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace vgpu::scheduler::sim {
namespace {

std::string joined(const std::vector<std::string>& models) {
  std::string out;
  for (const auto& m : models) out += (out.empty() ? "" : "|") + m;
  return out;
}

}  // namespace

TargetWorkload target_workload(const Workload& workload, double popularity) {
  using Shape = std::tuple<std::int64_t, std::int64_t, int, std::string>;  // cpu, milli, n, spec
  std::map<Shape, std::int64_t> count;
  std::map<Shape, std::vector<std::string>> spec;
  for (const RequestSpec& r : workload.requests) {
    Shape s{r.cpu_milli, r.gpu_milli, r.num_gpu, joined(r.gpu_spec)};
    ++count[s];
    spec.emplace(s, r.gpu_spec);
  }
  std::vector<std::pair<Shape, std::int64_t>> shapes(count.begin(), count.end());
  // Most popular first; equal counts: the larger shape first (the authors sort by (count,
  // shape) and reverse).
  std::sort(shapes.begin(), shapes.end(), [](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    return a.first > b.first;
  });
  const double total = static_cast<double>(workload.requests.size());
  TargetWorkload out;
  double covered = 0;
  for (const auto& [shape, n] : shapes) {
    if (covered >= popularity * total) break;
    covered += static_cast<double>(n);
    TargetPod p;
    p.cpu_milli = std::get<0>(shape);
    p.gpu_milli = std::get<1>(shape);
    p.num_gpu = std::get<2>(shape);
    p.gpu_spec = spec[shape];
    p.weight = static_cast<double>(n);
    out.pods.push_back(std::move(p));
  }
  for (TargetPod& p : out.pods) p.weight /= covered;
  return out;
}

}  // namespace vgpu::scheduler::sim
