#pragma once
// The candidate search: per tree, the providers that may serve each slot (filters), ranked
// (scores); then slots are assigned depth-first in rank order, each choice checked against the
// earlier ones (permits), and candidates come out best first until `limit`. Nothing is
// enumerated that a filter or permit has already ruled out, and the search stops at `limit`.
//
// Order of the candidates:
// - Plain Placement (no vGPU configuration, or no managed host): trees in root id order, each tree's candidates in the depth-first rank order of its options
//   (MostAllocated). Trees are resolved one at a time and the search stops at `limit` without
//   looking at the rest.
// - With a vGPU configuration, a request for a vGPU and managed hosts: the vGPU score orders
//   the trees too. Every tree is filtered and scored first (cost: one filter and score pass over
//   every provider, linear in providers, plus sorting the viable trees, T log T), then trees
//   are walked in rank order until `limit`: trees whose best options are on managed GPUs first,
//   awake hosts before standby ones, by the vGPU total of each slot's best option (their mean),
//   ties by root id; then trees without a vGPU score in root id order. A tree's rank is that of
//   its best options; inside a tree the candidates keep the depth-first rank order.
// - With a vGPU configuration, managed hosts and a score that keeps GPUs free (the vGPU score:
//   ScorePlugin::keeps_gpus_free), a request for no vGPU: every tree is filtered first too,
//   then awake hosts before standby ones, the least free GPU first (gpu_room.hpp: hosts
//   without GPUs, or with full ones, before hosts whose idle GPUs it would strand), ties by
//   root id.
// - Profile::rank_trees (opt-in, the simulator's policies): every viable tree yields its first
//   candidate(s) by the slot scores, and trees are ordered by their first candidate's weighted
//   candidate_score (plugin.hpp), ties by root id; linear in providers.
// - randomize: trees and options shuffled, no ranking.
#include <vector>

#include "scheduler/model/state.hpp"
#include "scheduler/search/candidate.hpp"
#include "scheduler/search/explain.hpp"
#include "scheduler/search/plugin.hpp"
#include "scheduler/search/request.hpp"

namespace vgpu::scheduler::search {

class CandidateSearch {
 public:
  explicit CandidateSearch(const Profile& profile) : profile_(profile) {}
  // `explain`: when given, filled with each candidate's vGPU score parts (parallel to the
  // result) and the rejections of managed providers (explain.hpp); null costs nothing.
  std::vector<Candidate> run(const State& state, const SearchRequest& request,
                             Explain* explain = nullptr) const;

 private:
  const Profile& profile_;
};

// The providers provider_summaries describe: every provider of every tree a candidate
// allocates from; before 1.29 (with trees about) only the providers allocated from.
std::vector<const Provider*> summary_providers(const State& state,
                                               const std::vector<Candidate>& candidates,
                                               bool nested_aware);

}  // namespace vgpu::scheduler::search
