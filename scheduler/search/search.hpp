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
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "scheduler/model/state.hpp"
#include "scheduler/search/candidate.hpp"
#include "scheduler/search/explain.hpp"
#include "scheduler/search/plugin.hpp"
#include "scheduler/search/request.hpp"

namespace vgpu::scheduler::search {

// What a search learnt of each tree for one request, kept across searches by a caller that
// knows which trees changed between them (the simulator: one host per placement), so that a
// tree nothing happened to is not filtered and scored again for a request seen before.
// Per (request content, root): whether the tree has a candidate and its rank (the vGPU rank,
// or the candidate_score of Profile::rank_trees); the candidates themselves are recomputed for
// the trees walked, so the answers are those of a search without the memo.
//
// Only valid when every plugin's verdict on a tree depends on that tree, the request and the
// licence pools alone (no random draws, no state carried from tree to tree): the caller
// decides (the simulator's policies say so, policy_registry.hpp). Not used with explain, a
// randomized request or sharing providers (their candidates span trees).
class TreeMemo {
 public:
  // `versions[root]`: changed by the caller whenever anything in the tree rooted at `root`
  // changes (allocations, vGPUs, inventories, traits, its host's state); it must outlive the
  // memo. A root outside the vector is never remembered. Anything outside the trees (classes,
  // traits, the roots themselves) changing: clear().
  explicit TreeMemo(const std::vector<std::uint64_t>& versions) : versions_(versions) {}
  void clear() { requests_.clear(); }

  // What is kept of one tree (search.cpp reads and writes it).
  struct Tree {
    std::uint64_t version = 0;  // versions[root] + 1 when it was kept; 0: nothing kept
    bool viable = false;        // the tree has a candidate
    double score = 0;           // Profile::rank_trees: its first candidate's candidate_score
    bool vgpu = false;          // otherwise its rank (search.cpp's TreeRank)
    bool awake = true;
    double total = 0;
    double gpu_room = 0;
  };
  using Entries = std::vector<Tree>;  // by root id

 private:
  friend class CandidateSearch;
  const std::vector<std::uint64_t>& versions_;
  std::unordered_map<std::string, Entries> requests_;  // by request content (search.cpp)
};

class CandidateSearch {
 public:
  explicit CandidateSearch(const Profile& profile) : profile_(profile) {}
  // `explain`: when given, filled with each candidate's vGPU score parts (parallel to the
  // result) and the rejections of managed providers (explain.hpp); null costs nothing.
  // `memo`: see TreeMemo; null, or not applicable to this request: every tree is evaluated.
  std::vector<Candidate> run(const State& state, const SearchRequest& request,
                             Explain* explain = nullptr, TreeMemo* memo = nullptr) const;

 private:
  const Profile& profile_;
};

// The providers provider_summaries describe: every provider of every tree a candidate
// allocates from; before 1.29 (with trees about) only the providers allocated from.
std::vector<const Provider*> summary_providers(const State& state,
                                               const std::vector<Candidate>& candidates,
                                               bool nested_aware);

}  // namespace vgpu::scheduler::search
