#pragma once
// A simulation mode: how a cluster becomes scheduler providers and how a request becomes a
// search request. The fractional-GPU mode (fractional_mode.hpp) validates the instrument
// against the FGD paper; the vGPU mode plugs in here the same way (profiles, equal-size rule,
// MIG, static): it builds its GPU children with the vGPU layer's inventories and turns a
// request into a VGPU ask. Nothing else in the simulator changes for a new mode.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "scheduler/search/request.hpp"
#include "scheduler/sim/node_view.hpp"
#include "scheduler/sim/sim_cluster.hpp"
#include "scheduler/sim/trace.hpp"

namespace vgpu::scheduler::sim {

class Mode {
 public:
  virtual ~Mode() = default;
  virtual std::string_view name() const = 0;
  // The providers of every host of `spec` (SimCluster::add_host for each, then finish()).
  virtual SimCluster build(const ClusterSpec& spec) const = 0;
  // The classes and traits that make a node for the policy plugins and the metrics.
  virtual NodeModel node_model(const SimCluster& cluster) const = 0;
  // The trait GPUs of model `model` carry (for gpu_spec and FGD's target workload); nullopt
  // when no GPU of the cluster has that model.
  virtual std::optional<TraitId> model_trait(const SimCluster& cluster,
                                             std::string_view model) const = 0;
  // `r` in scheduler terms (limit 1); nullopt when this mode cannot express it (e.g. a GPU
  // model no host has): the request then fails, like one that fits nowhere.
  virtual std::optional<search::SearchRequest> search_request(const SimCluster& cluster,
                                                              const RequestSpec& r) const = 0;
  // The GPU share `r` takes once placed, in thousandths of a GPU (what the allocation ratio
  // adds up). Fractional mode: what it asks; a vGPU mode: its profile's rounded-up share.
  virtual std::int64_t gpu_share_milli(const RequestSpec& r) const { return r.gpu_demand_milli(); }
  // The requests as this mode sees them, before any run (the caller replaces the workload with
  // it): the identity by default; the vGPU modes round each share up to its profile's, so that
  // arrived demand, the allocation ratio and the target workload are all in profiles, and learn
  // what they need of the demand (the static split, the request mix).
  virtual Workload prepare(const Workload& w) { return w; }
};

}  // namespace vgpu::scheduler::sim
