#pragma once
// The candidate search: per tree, the providers that may serve each slot (filters), ranked
// (scores); then slots are assigned depth-first in rank order, each choice checked against the
// earlier ones (permits), and candidates come out best first until `limit`. Nothing is
// enumerated that a filter or permit has already ruled out, and the search stops at `limit`.
#include <vector>

#include "scheduler/model/state.hpp"
#include "scheduler/search/candidate.hpp"
#include "scheduler/search/plugin.hpp"
#include "scheduler/search/request.hpp"

namespace vgpu::scheduler::search {

class CandidateSearch {
 public:
  explicit CandidateSearch(const Profile& profile) : profile_(profile) {}
  std::vector<Candidate> run(const State& state, const SearchRequest& request) const;

 private:
  const Profile& profile_;
};

// The providers provider_summaries describe: every provider of every tree a candidate
// allocates from; before 1.29 (with trees about) only the providers allocated from.
std::vector<const Provider*> summary_providers(const State& state,
                                               const std::vector<Candidate>& candidates,
                                               bool nested_aware);

}  // namespace vgpu::scheduler::search
