#pragma once
// FGD's fragmentation measure (Weng et al., ATC'23, section 3; the authors' simulator,
// NodeGpuShareFragAmount): the GPU share left on a node that the target workload could not use,
// weighted by how likely each pod shape is. For each target pod shape t (weight w_t):
// - t cannot run on the node at all (not enough CPU, not enough GPUs with t's share left, a GPU
//   model t does not accept, or t asks no GPU): all the GPU share left is fragment: w_t x left;
// - t fits: only the GPUs with less than t's share left are fragment: w_t x sum of those.
// The node's amount is the sum over shapes (in units of GPU share, thousandths of a GPU); the
// cluster's is the sum over nodes. Pure arithmetic, memoised by node content: the amount
// depends only on the sorted share left per GPU, the GPU model and which target shapes' CPU
// the node still has, and most nodes look alike.
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "scheduler/sim/node_view.hpp"
#include "scheduler/sim/target_workload.hpp"

namespace vgpu::scheduler::sim {

class FgdFragmentation {
 public:
  // `model_trait`: the trait of a GPU model name (nullopt when no GPU of the cluster has it).
  FgdFragmentation(TargetWorkload target,
                   const std::function<std::optional<TraitId>(std::string_view)>& model_trait);

  // The node's fragmentation amount (units of GPU share). Memoised: not thread-safe.
  double amount(const NodeView& node) const;
  // The same, computed without the memo (for tests of the memo and the definition).
  double amount_uncached(const NodeView& node) const;
  const TargetWorkload& target() const { return target_; }
  std::size_t memo_size() const { return memo_.size(); }

 private:
  struct Shape {
    std::int64_t cpu_milli;
    std::int64_t gpu_milli;
    int num_gpu;
    std::vector<TraitId> models;  // acceptable; empty: any
    bool impossible;              // names only models no GPU has
    double weight;
  };
  // The memo's key: which target CPU asks the node meets, its model, its GPUs' share left
  // sorted; packed in 3 words when it fits (up to 8 GPUs, shares below 65536), else nullopt
  // (computed without the memo).
  using Key = std::array<std::uint64_t, 3>;
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return std::hash<std::uint64_t>()(k[0] * 0x9E3779B97F4A7C15ull ^ k[1] * 0xC2B2AE3D27D4EB4Full ^ k[2]);
    }
  };
  std::optional<Key> key(const NodeView& node) const;

  TargetWorkload target_;
  std::vector<Shape> shapes_;
  std::vector<std::int64_t> cpu_steps_;  // distinct target CPU asks, ascending
  mutable std::unordered_map<Key, double, KeyHash> memo_;
};

}  // namespace vgpu::scheduler::sim
