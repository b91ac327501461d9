#pragma once
// What the policy plugins share: the node and pod views of a query, and the random tie-break.
#include <cstdint>
#include <random>

#include "scheduler/search/context.hpp"
#include "scheduler/search/plugin.hpp"
#include "scheduler/sim/node_view.hpp"

namespace vgpu::scheduler::search::policy {

// Whether this query is a GPU-sharing pod's GPU slot: the GPU is the policy's choice.
inline bool is_shared_gpu_slot(const SearchContext& ctx, const ProviderQuery& q,
                               const sim::NodeModel& model, sim::PodAsk& ask) {
  bool asks_gpu = false;
  for (const ResourceAmount& r : q.slot.resources) asks_gpu |= r.resource_class == model.gpu_share;
  if (!asks_gpu) return false;
  ask = sim::pod_ask(ctx.request(), model);
  return ask.shares_gpu(model.units_per_gpu);
}

// The node view with `ask` placed on GPU `provider` (CPU from the root).
inline sim::NodeView with_pod_on(sim::NodeView v, const sim::PodAsk& ask, ProviderId provider) {
  v.cpu_left -= ask.cpu_milli;
  for (std::size_t i = 0; i < v.gpus.size(); ++i)
    if (v.gpus[i] == provider) v.gpu_left[i] -= ask.gpu_milli;
  return v;
}

// Uniform [0, 1): breaks ties between equal integer host scores at random.
inline double tie_break(std::mt19937_64& rng) {
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

}  // namespace vgpu::scheduler::search::policy
