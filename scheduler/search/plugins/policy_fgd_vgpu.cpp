// FGD adapted to vGPUs: place where the node's vGPU fragmentation (vgpu_fragmentation.hpp)
// against the target workload of profiles grows least. What a GPU looks like after the
// placement is the service's own answer (VgpuRequest::evaluate: the placement rules' fit and
// apply), so "could still take a profile" follows the equal-size rule and MIG's fixed starts.
// Host score as FGD's: trunc(100 x sigmoid((F(before) - F(after)) / units per GPU)); inside a
// host each GPU is scored by the same difference (finer: rounded share units), best first.
#include <cmath>

#include "scheduler/search/plugins/policy_vgpu_plugins.hpp"
#include "scheduler/search/plugins/vgpu_request.hpp"

namespace vgpu::scheduler::search {
namespace {

struct Node {
  std::int64_t cpu_left = 0;
  std::vector<ProviderId> ids;
  std::vector<sim::VgpuNodeGpu> gpus;
};

Node node_of(const State& state, ProviderId root, const sim::NodeModel& model) {
  const sim::NodeView v = sim::node_view(state, root, model);
  Node n;
  n.cpu_left = v.cpu_left;
  for (std::size_t i = 0; i < v.gpus.size(); ++i) {
    const ManagedGpu* g = state.managed_gpu(v.gpus[i]);
    if (!g) continue;
    n.ids.push_back(v.gpus[i]);
    n.gpus.push_back({&g->gpu, v.gpu_left[i]});
  }
  return n;
}

std::int64_t share_asked(const Slot& slot, ClassId share) {
  std::int64_t n = 0;
  for (const ResourceAmount& r : slot.resources)
    if (r.resource_class == share) n += r.amount;
  return n;
}

class PolicyFgdVgpu : public ScorePlugin {
 public:
  PolicyFgdVgpu(const sim::NodeModel& model, std::shared_ptr<const sim::VgpuFragmentation> frag)
      : model_(model), owned_(std::move(frag)), frag_(*owned_) {}
  std::string_view name() const override { return "PolicyFgdVgpu"; }

  int score(const SearchContext& ctx, const ProviderQuery& q) const override {
    const VgpuRequest* v = ctx.vgpu();
    const std::size_t slot = ctx.slot_index(q.slot);
    if (!v || v->asks(slot).empty()) return 0;
    const ManagedGpu* gpu = ctx.state().managed_gpu(q.provider.id);
    if (!gpu) return 0;
    const GpuEvaluation& e = v->evaluate(slot, *gpu);
    if (!e.resolved.ok() || !e.placement.fit.ok) return 0;
    const Node before = node_of(ctx.state(), q.anchor.id, model_);
    Node after = before;
    after.cpu_left -= sim::pod_ask(ctx.request(), model_).cpu_milli;
    for (std::size_t i = 0; i < after.ids.size(); ++i)
      if (after.ids[i] == q.provider.id) {
        after.gpus[i].gpu = &e.placement.after;
        after.gpus[i].left -= share_asked(q.slot, model_.gpu_share);
      }
    const double delta = frag_.amount(after.cpu_left, after.gpus) - frag_.amount(before.cpu_left, before.gpus);
    return static_cast<int>(std::lround(-delta));
  }

  std::optional<double> candidate_score(const SearchContext& ctx, const Candidate& c) const override {
    const Node before = node_of(ctx.state(), c.anchor, model_);
    Node after = before;
    const sim::NodeView view_after = sim::node_view(ctx.state(), c.anchor, model_).after(c, model_);
    after.cpu_left = view_after.cpu_left;
    const VgpuRequest* v = ctx.vgpu();
    std::vector<vgpu::GpuState> states;  // the GPUs changed, after the placement
    states.reserve(ctx.slots().size());
    for (std::size_t s = 0; v && s < ctx.slots().size(); ++s) {
      if (v->asks(s).empty()) continue;
      const auto& mapped = c.mappings[ctx.slots()[s].group];
      if (mapped.empty()) continue;
      const ManagedGpu* gpu = ctx.state().managed_gpu(mapped.front());
      if (!gpu) continue;
      const GpuEvaluation& e = v->evaluate(s, *gpu);
      if (!e.resolved.ok() || !e.placement.fit.ok) continue;
      states.push_back(e.placement.after);
      for (std::size_t i = 0; i < after.ids.size(); ++i)
        if (after.ids[i] == gpu->provider) after.gpus[i].gpu = &states.back();
    }
    for (std::size_t i = 0; i < after.ids.size(); ++i)
      for (std::size_t j = 0; j < view_after.gpus.size(); ++j)
        if (view_after.gpus[j] == after.ids[i]) after.gpus[i].left = view_after.gpu_left[j];
    const double x = (frag_.amount(before.cpu_left, before.gpus) - frag_.amount(after.cpu_left, after.gpus)) /
                     static_cast<double>(frag_.units_per_gpu());
    return static_cast<double>(static_cast<std::int64_t>(100.0 / (1.0 + std::exp(-x))));
  }

 private:
  sim::NodeModel model_;
  std::shared_ptr<const sim::VgpuFragmentation> owned_;
  const sim::VgpuFragmentation& frag_;
};

}  // namespace

std::unique_ptr<ScorePlugin> make_policy_fgd_vgpu(
    const sim::NodeModel& model, std::shared_ptr<const sim::VgpuFragmentation> fragmentation) {
  return std::make_unique<PolicyFgdVgpu>(model, std::move(fragmentation));
}

}  // namespace vgpu::scheduler::search
