#pragma once
// The extension points of the candidate search, after the Kubernetes scheduler framework:
// filters (may this provider serve this slot?), permits (is this choice compatible with the
// choices made so far?) and scores (how good is it?). The framework (search.hpp), not the
// plugins, owns the order of phases. vGPU rules (profile exclusivity, MIG slices, licence
// seats) and packing/energy scores plug in here.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/model/provider.hpp"
#include "scheduler/search/candidate.hpp"
#include "scheduler/search/context.hpp"
#include "scheduler/search/status.hpp"
#include "scheduler/vgpu/score_weights.hpp"
#include "scheduler/vgpu/vgpu_config.hpp"

namespace vgpu::scheduler::search {

// One provider considered for one slot of the candidate anchored at `anchor`.
struct ProviderQuery {
  const Slot& slot;
  const GroupRequest& group;
  const Provider& anchor;    // root of the tree the candidate is built around
  const Provider& provider;
  bool shared = false;       // a sharing provider from outside the anchor's tree
};

// The choices made so far while the framework assigns slots in order.
struct PartialCandidate {
  const Provider& anchor;
  std::vector<const Provider*> chosen;   // chosen[i] serves slot i (i < chosen.size())
  // What the choices so far take from a provider, for checks of the combined amount.
  std::int64_t taken(const SearchContext& ctx, ProviderId p, ClassId rc) const;
};

class FilterPlugin {
 public:
  virtual ~FilterPlugin() = default;
  virtual std::string_view name() const = 0;
  // Whether a tree may anchor candidates at all (checked once per tree).
  virtual Status filter_anchor(const SearchContext&, const Provider& /*root*/) const {
    return Status::success();
  }
  // Whether one provider may serve one slot, on its own.
  virtual Status filter(const SearchContext&, const ProviderQuery&) const {
    return Status::success();
  }
  // For explain only (never on the plain search path): one sentence with the numbers saying
  // why `filter_anchor` / `filter` refused with `status`. By default the static reason.
  virtual std::string anchor_detail(const SearchContext&, const Provider& /*root*/,
                                    const Status& status) const {
    return std::string(status.reason);
  }
  virtual std::string detail(const SearchContext&, const ProviderQuery&,
                             const Status& status) const {
    return std::string(status.reason);
  }
};

class PermitPlugin {
 public:
  virtual ~PermitPlugin() = default;
  virtual std::string_view name() const = 0;
  // Before `p` is chosen for slot `slot` (= partial.chosen.size()).
  virtual Status permit(const SearchContext&, const PartialCandidate&, std::size_t /*slot*/,
                        const Provider& /*p*/) const {
    return Status::success();
  }
  // When the last slot of group `group` has been chosen.
  virtual Status group_done(const SearchContext&, const PartialCandidate&,
                            std::size_t /*group*/) const {
    return Status::success();
  }
  // When every slot has been chosen.
  virtual Status complete(const SearchContext&, const PartialCandidate&) const {
    return Status::success();
  }
  // For explain only: why `permit` refused `p` for `slot` with `status`.
  virtual std::string permit_detail(const SearchContext&, const PartialCandidate&,
                                    std::size_t /*slot*/, const Provider& /*p*/,
                                    const Status& status) const {
    return std::string(status.reason);
  }
};

class ScorePlugin {
 public:
  virtual ~ScorePlugin() = default;
  virtual std::string_view name() const = 0;
  // 0 (worst) .. 100 (best) for serving this slot from this provider. (The simulator's policy
  // plugins, alone in their profile, use a finer scale where a choice inside a host needs it.)
  virtual int score(const SearchContext&, const ProviderQuery&) const = 0;
  // A score with parts (the vGPU score): they rank trees against each other and are what
  // explain shows. When this returns a value, score() must equal its total rounded, and the
  // framework uses it instead of calling score(). nullopt (the default): no parts here.
  virtual std::optional<vgpu::ScoreParts> parts(const SearchContext&, const ProviderQuery&) const {
    return std::nullopt;
  }
  // Cross-host ranking, opt-in (Profile::rank_trees): how good a whole candidate is (each
  // tree's first candidate, chosen inside the tree by the slot scores), higher is better.
  // Trees are walked in the order of the weighted sum; nullopt counts as 0. Never called when
  // rank_trees is off.
  virtual std::optional<double> candidate_score(const SearchContext&, const Candidate&) const {
    return std::nullopt;
  }
  // Profile::rank_trees only: called once per tree, before its providers are scored and its
  // candidate_score is asked, so that a policy reads the tree (its node view) once rather than
  // per provider. The calls for one tree come before any call for the next.
  virtual void begin_tree(const SearchContext&, const Provider& /*root*/) const {}
  // Whether requests for no vGPU should go to the hosts with the least free GPU first
  // (gpu_room.hpp) when the search has managed hosts. The vGPU score says yes; a plugin that
  // must keep the plain order for them (the simulator's first-fit) keeps the default.
  virtual bool keeps_gpus_free() const { return false; }
};

struct WeightedScore {
  std::unique_ptr<ScorePlugin> plugin;
  int weight = 1;
};

// The plugins of one search, built once (see registry.hpp) and shared read-only.
struct Profile {
  std::vector<std::unique_ptr<FilterPlugin>> filters;
  std::vector<std::unique_ptr<PermitPlugin>> permits;
  std::vector<WeightedScore> scores;
  // The vGPU configuration the vGPU plugins were built with (it must outlive the profile);
  // null for plain Placement: no vGPU plugin, and candidates in the plain order.
  const vgpu::VgpuConfig* vgpu = nullptr;
  // Rank trees against each other by the score plugins' candidate_score (the simulator's
  // policies: best-fit, FGD...). Off (the default): the plain order of search.hpp, unchanged.
  bool rank_trees = false;
};

}  // namespace vgpu::scheduler::search
