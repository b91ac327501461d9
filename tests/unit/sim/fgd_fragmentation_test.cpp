// FGD's fragmentation measure and target workload, worked by hand.
#include <catch2/catch.hpp>

#include "scheduler/sim/fgd_fragmentation.hpp"

using namespace ::vgpu::scheduler;
using namespace ::vgpu::scheduler::sim;

namespace {

NodeView node(std::int64_t cpu_left, std::vector<std::int64_t> gpu_left,
              std::optional<TraitId> model = std::nullopt) {
  NodeView v;
  v.cpu_left = cpu_left;
  v.gpu_left = std::move(gpu_left);
  v.gpus.resize(v.gpu_left.size());
  v.model = model;
  return v;
}

std::optional<TraitId> no_models(std::string_view) { return std::nullopt; }

}  // namespace

TEST_CASE("fragmentation: the share left that each target shape cannot use, weighted",
          "[scheduler][sim][fgd]") {
  // Target: 50% CPU-only pods (4 vCPU), 30% 600 milli-GPU pods (8 vCPU), 20% 2-GPU pods.
  const TargetWorkload target{{TargetPod{4000, 0, 0, {}, 0.5}, TargetPod{8000, 600, 1, {}, 0.3},
                               TargetPod{8000, 1000, 2, {}, 0.2}}};
  const FgdFragmentation f(target, no_models);
  struct Case {
    NodeView node;
    double expected;
  };
  const Case cases[] = {
      // No GPU share left: nothing to fragment.
      {node(64000, {0, 0}), 0.0},
      // Empty 2-GPU node: CPU-only pods use no GPU (0.5 x 2000); 600-pods and 2-GPU pods fit
      // with nothing short: 1000.
      {node(64000, {1000, 1000}), 1000.0},
      // [500, 1000]: CPU-only 0.5 x 1500 = 750; 600-pod fits, GPU0 (500) short: 0.3 x 500 = 150;
      // 2-GPU pod does not fit: 0.2 x 1500 = 300. Sum 1200.
      {node(64000, {500, 1000}), 1200.0},
      // Same GPUs, 6 vCPU left: neither GPU pod has its CPU: all 1500 for every shape.
      {node(6000, {500, 1000}), 1500.0},
      // [300, 300, 700]: CPU-only 650; 600-pod fits on GPU2, 600 short: 180; 2-GPU: 0.2 x 1300.
      {node(64000, {300, 300, 700}), 650.0 + 180.0 + 260.0},
  };
  for (const Case& c : cases) {
    CHECK(f.amount_uncached(c.node) == Approx(c.expected));
    CHECK(f.amount(c.node) == Approx(c.expected));  // through the memo, twice
    CHECK(f.amount(c.node) == Approx(c.expected));
  }
  // The memo keys on content: GPU order and CPU between two target asks do not matter.
  const std::size_t before = f.memo_size();
  CHECK(f.amount(node(64001, {1000, 500})) == Approx(1200.0));
  CHECK(f.memo_size() == before);
}

TEST_CASE("fragmentation: a model the shape does not accept makes all share fragment",
          "[scheduler][sim][fgd]") {
  const TraitId t4 = 7, v100 = 8;
  TargetWorkload target{{TargetPod{1000, 500, 1, {"V100"}, 1.0}}};
  const FgdFragmentation f(target, [&](std::string_view m) -> std::optional<TraitId> {
    return m == "V100" ? std::optional<TraitId>(v100) : std::nullopt;
  });
  CHECK(f.amount(node(8000, {1000, 300}, t4)) == Approx(1300.0));
  CHECK(f.amount(node(8000, {1000, 300}, v100)) == Approx(300.0));
}

TEST_CASE("target workload: most popular shapes until 95% of the pods, renormalised",
          "[scheduler][sim][fgd]") {
  Workload w;
  auto add = [&](int n, std::int64_t cpu, std::int64_t milli, int gpus) {
    for (int i = 0; i < n; ++i) {
      RequestSpec r;
      r.cpu_milli = cpu, r.gpu_milli = milli, r.num_gpu = gpus;
      w.requests.push_back(r);
    }
  };
  add(60, 4000, 500, 1);  // 60%
  add(30, 8000, 0, 0);    // 30% (cumulative 90%)
  add(5, 2000, 1000, 1);  // 5%: tie with the next; the larger shape (cpu 2000) first -> 95%
  add(5, 1000, 1000, 1);  // left out
  const TargetWorkload t = target_workload(w);
  REQUIRE(t.pods.size() == 3);
  CHECK(t.pods[0].cpu_milli == 4000);
  CHECK(t.pods[0].weight == Approx(60.0 / 95.0));
  CHECK(t.pods[1].gpu_milli == 0);
  CHECK(t.pods[2].cpu_milli == 2000);
  CHECK(t.pods[2].weight == Approx(5.0 / 95.0));
}
