// A reduced vGPU-mode run of protocol (a) on the real Alibaba trace v2023 (the full one is
// bench/sim/vgpu-protocol-a.sh): every 8th GPU node and every 8th pod of
// openb_pod_list_default, one seed, A40 equal-size. The service's score ("ours") must leave
// fewer GPUs unallocated at 100% arrival than spread (Nova's default weighers).
// Without the trace this test FAILS (it does not skip), like the fractional validation.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "scheduler/sim/alibaba_trace.hpp"
#include "scheduler/sim/experiment.hpp"
#include "scheduler/sim/vgpu_mode.hpp"

#ifndef VGPU_TRACE_DIR
#error "VGPU_TRACE_DIR must name ../shared/traces/alibaba-gpu-v2023 (tests/unit/CMakeLists.txt)"
#endif

using namespace ::vgpu::scheduler::sim;

namespace {

template <typename T>
T every_8th(const T& all) {
  T out;
  for (std::size_t i = 0; i < all.size(); i += 8) out.push_back(all[i]);
  return out;
}

}  // namespace

TEST_CASE("reduced vGPU-mode run on the Alibaba trace: ours leaves fewer GPUs unallocated than spread",
          "[scheduler][sim][vgpu][validation]") {
  const std::filesystem::path dir = VGPU_TRACE_DIR;
  const auto nodes_file = dir / "openb_node_list_gpu_node.csv";
  const auto pods_file = dir / "openb_pod_list_default.csv";
  INFO("the Alibaba GPU trace v2023 is needed at " << dir.string()
                                                   << " (../shared/traces next to the repo)");
  REQUIRE(std::filesystem::exists(nodes_file));
  REQUIRE(std::filesystem::exists(pods_file));
  std::ifstream nodes_in(nodes_file), pods_in(pods_file);
  ClusterSpec cluster = read_alibaba_nodes(nodes_in, nodes_file.string());
  Workload pods = read_alibaba_pods(pods_in, pods_file.string());
  cluster.hosts = every_8th(cluster.hosts);
  pods.requests = every_8th(pods.requests);

  VgpuMode mode;
  pods = mode.prepare(pods);
  ExperimentOptions options;
  options.seeds = {42};
  options.policies = {"spread", "ours"};
  const auto summary = summarise(
      run_fgd_experiment(mode, cluster, pods, builtin_policies(), options), options.tune);
  REQUIRE(summary.size() == 2);
  const double spread = summary[0].unallocated_at_100.mean;
  const double ours = summary[1].unallocated_at_100.mean;
  INFO("unallocated GPUs at 100% arrival: spread " << spread << ", ours " << ours);
  CHECK(ours < spread);
}
