#pragma once
// FGD's target workload ("typical pods"): the distribution of pod shapes the fragmentation
// measure is taken against. As in the FGD authors' simulator (GetTypicalPods): pods of the
// original pod list (before resampling) grouped by shape (cpu_milli, gpu_milli, num_gpu,
// gpu_spec; CPU-only pods included), most popular first, ties by the larger shape; the most
// popular shapes are kept until they cover `popularity` (95%) of the pods, and their weights
// are renormalised to sum to 1.
#include <cstdint>
#include <string>
#include <vector>

#include "scheduler/sim/trace.hpp"

namespace vgpu::scheduler::sim {

struct TargetPod {
  std::int64_t cpu_milli = 0;
  std::int64_t gpu_milli = 0;  // per GPU; 0 for a CPU-only pod
  int num_gpu = 0;
  std::vector<std::string> gpu_spec;  // acceptable models; empty: any
  double weight = 0;                  // share of the target workload (the weights sum to 1)
};

struct TargetWorkload {
  std::vector<TargetPod> pods;
};

TargetWorkload target_workload(const Workload& workload, double popularity = 0.95);

}  // namespace vgpu::scheduler::sim
