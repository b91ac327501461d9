#pragma once
// The vGPU modes: each trace GPU becomes a managed pGPU of one catalog board, reported through
// the vGPU layer exactly as a host report does (vgpu::plan_host_tree: Nova-shaped children with
// one CUSTOM_VGPU_<P> inventory per supported profile, and the PutManagedHost), and each request
// becomes a vGPU profile. Placing runs the claim path's vGPU rules (SimCluster::set_vgpu), so
// the state holds which vGPUs sit where, and the search profile carries the service's vGPU
// filters and permits (policy_registry.cpp): the equal-size rule (one profile per GPU at a
// time) and MIG's fixed starts are the service's own, not the simulator's.
//
// Variants:
//   equal_size ("vgpu")         every GPU in equal-size mode, supporting the 1/8, 1/4, 1/2 and
//                               whole-GPU profiles of the board's Q series (A40: A40-6Q, -12Q,
//                               -24Q, -48Q); a share of s thousandths rounds up to the first of
//                               125, 250, 500, 1000 that is >= s
//   static ("vgpu-static")      the same profiles, but each GPU supports exactly one, fixed in
//                               advance as Nova's [devices] enabled_mdev_types does today; the
//                               split of GPUs per profile follows the prepared workload's GPU
//                               demand per profile (largest remainders), GPUs dealt in host name
//                               then GPU order to the profile furthest below its share (so every
//                               profile is spread over the cluster, hosts mix profiles)
//   mig ("vgpu-mig")            every GPU an A100 in MIG mode supporting A100-1-5C, -2-10C,
//                               -3-20C, -4-20C, -7-40C; a share s rounds up to ceil(7 s / 1000)
//                               compute slices, then to the first of 1, 2, 3, 4, 7 that is >= it
// A request of k > 1 GPUs asks k whole-GPU vGPUs (-48Q / -7-40C), one per numbered group,
// group_policy=isolate (k distinct GPUs of one host); CPU and memory on the root. gpu_spec is
// ignored (every GPU is on the one board) and cleared by prepare().
//
// Besides the vGPU inventories each GPU carries CUSTOM_GPU_MILLI (1000 units; 7000 in MIG mode,
// one thousand per compute slice) and each request asks its profile's share of it in the same
// group: a shadow account the vGPU rules ignore (it never refuses what they allow: 8 x 125,
// 4g + 3g = 7000) that the framework's node view, FGD's measure and the metrics read.
//
// The request mix: the service's fragmentation score judges free space against the profiles
// claimed lately (request_mix.hpp, fed by the claims). Protocol (a) has no time, so prepare()
// sets the mix to the prepared pod list's profiles, counted once each — what the service would
// have learnt from claiming that list; every search request points to it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scheduler/sim/mode.hpp"
#include "scheduler/vgpu/vgpu_config.hpp"

namespace vgpu::scheduler::sim {

enum class VgpuVariant { equal_size, static_profiles, mig };

struct VgpuModeOptions {
  VgpuVariant variant = VgpuVariant::equal_size;
  // The board every GPU is put on (catalog code). Empty: A40 (A100 for MIG). One board for the
  // whole cluster: the trace's models (G2, T4, P100, V100, A10...) have no vGPU profiles in the
  // catalog worth comparing, and one board keeps the rounding the same for every request.
  std::string board;
};

// The GPU-share units of one GPU of `mode`'s cluster: 1000, or 7000 in MIG mode.
std::int64_t vgpu_units_per_gpu(VgpuVariant variant);
// A profile's share in those units: framebuffer / the board's x 1000 (time-sliced), compute
// slices x 1000 (MIG).
std::int64_t vgpu_profile_units(const vgpu::Catalog& catalog, vgpu::ProfileIndex profile);

class VgpuMode : public Mode {
 public:
  // Throws std::invalid_argument for an unknown board or one without the profiles the variant
  // needs (the message names them).
  explicit VgpuMode(VgpuModeOptions options = {});

  std::string_view name() const override;
  SimCluster build(const ClusterSpec& spec) const override;
  NodeModel node_model(const SimCluster& cluster) const override;
  std::optional<TraitId> model_trait(const SimCluster& cluster,
                                     std::string_view model) const override;
  std::optional<search::SearchRequest> search_request(const SimCluster& cluster,
                                                      const RequestSpec& r) const override;
  Workload prepare(const Workload& w) override;

  const vgpu::VgpuConfig& config() const { return config_; }
  const std::vector<vgpu::ProfileIndex>& profiles() const { return profiles_; }  // small first
  // The profile a request of `num_gpu` GPUs at `gpu_milli` thousandths each maps to (k > 1 and
  // whole GPUs: the whole-GPU profile); nullopt for a request without GPU.
  std::optional<vgpu::ProfileIndex> profile_for(int num_gpu, std::int64_t gpu_milli) const;
  // Static variant: the profile of each GPU of `spec`, in host name then GPU order, from the
  // demand prepare() saw (without one: an equal split).
  std::vector<vgpu::ProfileIndex> static_plan(const ClusterSpec& spec) const;
  // Static variant: how many GPUs each profile gets for `gpus` GPUs and `demand` (units per
  // profile, parallel to profiles()): proportional, largest remainders, ties to the larger
  // profile; every profile with demand gets at least one GPU when there are enough GPUs.
  static std::vector<int> static_split(const std::vector<std::int64_t>& demand, int gpus);

 private:
  std::int64_t share_units(int num_gpu, std::int64_t gpu_milli) const;

  VgpuModeOptions options_;
  vgpu::VgpuConfig config_;
  vgpu::BoardIndex board_ = 0;
  std::vector<vgpu::ProfileIndex> profiles_;
  std::vector<vgpu::ProfileWeight> mix_;
  std::vector<std::int64_t> demand_;         // units per profile of the prepared workload
};

}  // namespace vgpu::scheduler::sim
