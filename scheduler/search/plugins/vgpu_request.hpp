#pragma once
// What the vGPU plugins share for one search, worked out once per request (the Kubernetes
// framework's "pre-filter" state): which slots ask for vGPUs and of which profile, the licence
// decisions, and per managed host the figures the scores need. The SearchContext owns one when
// the search profile has a vGPU configuration (context.hpp: SearchContext::vgpu()).
//
// Which profile an allocation on a managed GPU means (the design's naming rules):
//   CUSTOM_VGPU_<P> or an operator-mapped class          -> P, whatever the GPU
//   VGPU with required traits naming profiles            -> the first of those profiles the GPU
//     (CUSTOM_NVIDIA_<P> or mapped; any-of lists too)       supports and can fit
//   VGPU naming no profile                               -> the GPU's current profile (equal-size
//                                                           mode, vGPUs placed), else its only
//                                                           supported one, else refused as
//                                                           ambiguous
// Every other class is not a vGPU: the vGPU rules leave it to the plain plugins.
//
// Caches are filled lazily while the search runs; a search runs on one thread, so `mutable`
// members need no lock. Not shared between requests.
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "scheduler/model/managed_gpu.hpp"
#include "scheduler/model/state.hpp"
#include "scheduler/search/request.hpp"
#include "scheduler/vgpu/claim_rules.hpp"
#include "scheduler/vgpu/licence_pool.hpp"
#include "scheduler/vgpu/name_resolver.hpp"
#include "scheduler/vgpu/placement_rules.hpp"
#include "scheduler/vgpu/power_model.hpp"
#include "scheduler/vgpu/score_weights.hpp"
#include "scheduler/vgpu/vgpu_config.hpp"

namespace vgpu::scheduler::search {

struct Slot;

// Rules the vGPU plugins report besides placement_rules': the claim rules' names, so that the
// explain output and a claim's 409 detail name a rule the same way.
namespace vgpu_rule = ::vgpu::scheduler::vgpu::claim_rule;

// One vGPU resource of a slot: `count` vGPUs through `resource_class`.
struct VgpuAsk {
  ClassId resource_class = 0;
  int count = 0;
  std::optional<vgpu::ProfileIndex> profile;  // named by the class; nullopt: the VGPU class
};

// The vGPUs one slot means on one managed GPU, or why that cannot be told.
struct ResolvedVgpus {
  std::vector<std::pair<vgpu::ProfileIndex, int>> vgpus;  // (profile, count), in ask order
  std::string_view rule;  // empty when resolved; else kAmbiguousProfile or kUnsupportedProfile
  std::string detail;
  bool ok() const { return rule.empty(); }
};

// A managed host as the scores see it.
struct HostView {
  const ManagedHost* host = nullptr;      // null: the GPU's host is not (or no longer) reported
  std::vector<const ManagedGpu*> gpus;    // the host's managed GPUs, in the host's order
  vgpu::HostPower power;                  // defaults applied; power.gpus parallel to gpus
  std::vector<int> vgpus_per_gpu;         // parallel to gpus
  int busy_gpus = 0;                      // GPUs with at least one vGPU
  vgpu::HostPowerState state() const {
    return host ? host->state : vgpu::HostPowerState::active;
  }
  // Position of the GPU in `gpus`; gpus.size() when absent.
  std::size_t index_of(ProviderId gpu) const;
};

// The outcome of placing a slot's vGPUs on a GPU one profile after the other.
struct Placement {
  vgpu::Fit fit;            // the first refusal, or the last success
  vgpu::GpuState after;     // the GPU with every vGPU placed (valid when fit.ok)
};

// What one slot means on one managed GPU and how it would be placed there: worked out once per
// (slot, GPU) and shared by the rules filter, the licence filter and the score.
struct GpuEvaluation {
  ResolvedVgpus resolved;
  Placement placement;  // meaningful when resolved.ok()
};

class VgpuRequest {
 public:
  VgpuRequest(const State& state, const SearchRequest& request, const std::vector<Slot>& slots,
              const vgpu::VgpuConfig& config);

  const vgpu::VgpuConfig& config() const { return config_; }
  const vgpu::Catalog& catalog() const { return config_.catalog; }
  // Whether any slot asks for a vGPU (a class that names a profile, or VGPU).
  bool asks_any() const { return asks_any_; }
  const std::vector<VgpuAsk>& asks(std::size_t slot) const { return asks_[slot]; }

  // What slot `slot` asks of this managed GPU (see the header comment).
  ResolvedVgpus resolve(std::size_t slot, const ManagedGpu& gpu) const;
  // resolve() and place() of the slot on the GPU, computed once and kept for the request.
  const GpuEvaluation& evaluate(std::size_t slot, const ManagedGpu& gpu) const;
  // Places `vgpus` on `gpu` one profile after another (placement_rules fit, then apply).
  // Memoised by the GPU's content: across a fleet most GPUs are in one of a few states (empty,
  // or holding the same vGPUs), and fit walks every allowed start of every profile.
  const Placement& place(const vgpu::GpuState& gpu,
                         const std::vector<std::pair<vgpu::ProfileIndex, int>>& vgpus) const;
  // The fragmentation score of turning `before` into `after` under this request's mix, computed
  // by `compute` the first time these two GPU contents are seen in the request (the same reason).
  double fragmentation(const vgpu::GpuState& before, const vgpu::GpuState& after,
                       const std::function<double()>& compute) const;

  // Licence seats for the vGPUs of `edition` the whole request needs when slot `slot` takes
  // `in_slot` of them; decided once per (edition, count) and kept.
  const vgpu::SeatGrant& seats(vgpu::Edition edition, std::size_t slot, std::int64_t in_slot) const;

  // The GPU's host with its power figures (cached per host).
  const HostView& host_view(const ManagedGpu& gpu) const;
  // Standby hosts may take new vGPUs in this request: the configuration must allow waking
  // standby hosts (the claim rules check the same), and the request may opt out.
  bool standby_allowed() const;
  // The configured weights, with spread in place of packing and energy when the request opts
  // in to spreading (spread = 100 - packing: both at once would cancel out).
  const vgpu::ScoreWeights& weights() const { return weights_; }
  const std::vector<vgpu::ProfileWeight>* request_mix() const { return request_.request_mix; }

  // "h1_pci_0000_84_00_0" (the provider's name), for details.
  std::string gpu_name(const ManagedGpu& gpu) const;

  const vgpu::NameResolver& names() const { return names_; }

 private:
  const State& state_;
  const SearchRequest& request_;
  const std::vector<Slot>& slots_;
  const vgpu::VgpuConfig& config_;
  vgpu::NameResolver names_;
  std::vector<std::vector<VgpuAsk>> asks_;                  // per slot
  std::vector<std::vector<vgpu::ProfileIndex>> trait_profiles_;  // per group, in trait order
  // Per slot and edition: vGPUs whose profile is known without looking at a GPU.
  std::vector<std::array<std::int64_t, vgpu::kEditionCount>> known_demand_;
  std::array<std::int64_t, vgpu::kEditionCount> known_total_{};
  bool asks_any_ = false;
  vgpu::ScoreWeights weights_;
  mutable std::map<std::pair<int, std::int64_t>, vgpu::SeatGrant> grants_;
  mutable std::unordered_map<std::string, HostView> hosts_;
  // By (slot, provider): asked for every GPU of every tree; a hash map (references stay valid
  // as it grows) instead of a tree, whose lookups were a tenth of a simulator run.
  struct SlotGpuHash {
    std::size_t operator()(const std::pair<std::size_t, ProviderId>& k) const {
      return std::hash<std::int64_t>{}(static_cast<std::int64_t>(k.second) * 64 +
                                       static_cast<std::int64_t>(k.first));
    }
  };
  mutable std::unordered_map<std::pair<std::size_t, ProviderId>, GpuEvaluation, SlotGpuHash> evaluations_;
  mutable std::unordered_map<std::string, Placement> placements_;   // by GPU content + vGPUs
  mutable std::unordered_map<std::string, double> fragmentations_;  // by before + after content
};

}  // namespace vgpu::scheduler::search
