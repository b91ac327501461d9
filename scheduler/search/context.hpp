#pragma once
// Work that depends only on the request (and the snapshot), done once and shared by every
// plugin call: the sharing providers by aggregate, whether the snapshot has trees at all, and
// with a vGPU configuration what the vGPU plugins share (plugins/vgpu_request.hpp).
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "scheduler/model/state.hpp"
#include "scheduler/search/explain.hpp"
#include "scheduler/search/request.hpp"
#include "scheduler/vgpu/vgpu_config.hpp"

namespace vgpu::scheduler::search {

class VgpuRequest;

// One place a provider can serve: the providers of a group's slot share it.
// A numbered group is one slot (all its resources from one provider); the unnumbered group is
// one slot per resource class (each class from any provider of the tree or a sharing provider).
struct Slot {
  std::size_t group = 0;
  std::vector<ResourceAmount> resources;  // empty: a resourceless numbered group
  bool last_of_group = false;
};

class SearchContext {
 public:
  // `vgpu`: the vGPU configuration (null: plain Placement, the vGPU plugins stand aside).
  // `explain`: where to record scores and rejections (null: nothing is recorded).
  SearchContext(const State& state, const SearchRequest& request,
                const vgpu::VgpuConfig* vgpu = nullptr, Explain* explain = nullptr);
  ~SearchContext();
  SearchContext(const SearchContext&) = delete;
  SearchContext& operator=(const SearchContext&) = delete;

  const State& state() const { return state_; }
  const SearchRequest& request() const { return request_; }
  const std::vector<Slot>& slots() const { return slots_; }
  const GroupRequest& group(const Slot& s) const { return request_.groups[s.group]; }
  // Position of a slot of slots() (plugins get the Slot by reference).
  std::size_t slot_index(const Slot& s) const { return static_cast<std::size_t>(&s - slots_.data()); }

  // Providers carrying MISC_SHARES_VIA_AGGREGATE that share an aggregate with some provider
  // of `tree` (upstream's anchors_for_sharing_providers, seen from the anchor), sorted by id.
  std::vector<const Provider*> sharing_for(const std::vector<const Provider*>& tree) const;
  bool is_sharing(const Provider& p) const;
  // Every root provider's id, in id order: the trees candidates are anchored to.
  const std::vector<ProviderId>& roots() const { return state_.root_ids(); }
  // Whether any provider has a parent (upstream switches pre-1.29 behaviour on it).
  bool has_trees() const { return state_.has_nested(); }
  // The vGPU plugins' shared per-request state; null without a vGPU configuration.
  const VgpuRequest* vgpu() const { return vgpu_.get(); }
  Explain* explain() const { return explain_; }

 private:
  const State& state_;
  const SearchRequest& request_;
  std::vector<Slot> slots_;
  std::optional<TraitId> sharing_trait_;
  std::unordered_map<Uuid, std::vector<const Provider*>, UuidHash> sharing_by_aggregate_;
  std::unique_ptr<VgpuRequest> vgpu_;
  Explain* explain_ = nullptr;
};

}  // namespace vgpu::scheduler::search
