#include "scheduler/sim/node_view.hpp"

#include <algorithm>

namespace vgpu::scheduler::sim {
namespace {

std::int64_t left(const Provider& p, ClassId rc) {
  const Inventory* inv = p.inventories.find(rc);
  if (!inv) return 0;
  const std::int64_t* used = p.usage.find(rc);
  return inv->capacity() - (used ? *used : 0);
}

}  // namespace

std::int64_t NodeView::gpu_left_total() const {
  std::int64_t t = 0;
  for (std::int64_t g : gpu_left) t += g;
  return t;
}

std::int64_t NodeView::full_gpus_free(std::int64_t units_per_gpu) const {
  return std::count(gpu_left.begin(), gpu_left.end(), units_per_gpu);
}

NodeView NodeView::after(const search::Candidate& candidate, const NodeModel& model) const {
  NodeView out = *this;
  for (const search::AllocationPart& a : candidate.allocations) {
    if (a.provider == root && a.resource_class == model.cpu) out.cpu_left -= a.amount;
    if (a.resource_class != model.gpu_share) continue;
    auto it = std::find(out.gpus.begin(), out.gpus.end(), a.provider);
    if (it != out.gpus.end()) out.gpu_left[static_cast<std::size_t>(it - out.gpus.begin())] -= a.amount;
  }
  return out;
}

NodeView node_view(const State& state, ProviderId root_id, const NodeModel& model) {
  NodeView v;
  v.root = root_id;
  const Provider* root = state.provider(root_id);
  if (!root) return v;
  v.cpu_left = left(*root, model.cpu);
  if (const Inventory* inv = root->inventories.find(model.cpu)) v.cpu_capacity = inv->capacity();
  for (ProviderId child : root->children) {
    const Provider* gpu = state.provider(child);
    if (!gpu || !gpu->inventories.contains(model.gpu_share)) continue;
    v.gpus.push_back(child);
    v.gpu_left.push_back(left(*gpu, model.gpu_share));
    if (!v.model)
      for (TraitId t : model.model_traits)
        if (gpu->has_trait(t)) v.model = t;
  }
  return v;
}

PodAsk pod_ask(const search::SearchRequest& request, const NodeModel& model) {
  PodAsk ask;
  for (const search::GroupRequest& g : request.groups) {
    bool gpu = false;
    for (const search::ResourceAmount& r : g.resources) {
      if (r.resource_class == model.cpu) ask.cpu_milli += r.amount;
      if (r.resource_class == model.gpu_share) {
        ask.gpu_milli = std::max(ask.gpu_milli, r.amount);
        gpu = true;
      }
    }
    if (gpu) ++ask.num_gpu;
  }
  return ask;
}

}  // namespace vgpu::scheduler::sim
