#pragma once
// Fractional-GPU mode, the validation mode (the FGD paper's model, openb traces): each GPU is a
// child provider with 1000 units of CUSTOM_GPU_MILLI and a trait CUSTOM_GPU_MODEL_<MODEL>; the
// host's CPU and memory are on the root.
// - num_gpu = 1, gpu_milli = m: one granular group of m units (one GPU serves it all);
// - num_gpu = k > 1 (whole GPUs): k granular groups of 1000 units, group_policy=isolate (k
//   distinct GPUs), as Kubernetes' GPU-share plugin hands out k whole devices;
// - CPU and memory in the unnumbered group (only the root has them); CPU-only pods ask only that;
// - gpu_spec: the numbered groups require any of the named models' traits.
#include "scheduler/sim/mode.hpp"

namespace vgpu::scheduler::sim {

inline constexpr std::string_view kGpuMilliClass = "CUSTOM_GPU_MILLI";
inline constexpr std::int64_t kMilliPerGpu = 1000;

// "V100M16" -> "CUSTOM_GPU_MODEL_V100M16" (other characters than A-Z0-9 become '_').
std::string model_trait_name(std::string_view model);

class FractionalMode : public Mode {
 public:
  std::string_view name() const override { return "fractional"; }
  SimCluster build(const ClusterSpec& spec) const override;
  NodeModel node_model(const SimCluster& cluster) const override;
  std::optional<TraitId> model_trait(const SimCluster& cluster,
                                     std::string_view model) const override;
  std::optional<search::SearchRequest> search_request(const SimCluster& cluster,
                                                      const RequestSpec& r) const override;
};

}  // namespace vgpu::scheduler::sim
