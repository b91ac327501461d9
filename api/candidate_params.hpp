#pragma once
// GET /allocation_candidates query -> scheduler::search::SearchRequest, per microversion, with
// upstream's validation order and messages (lib.RequestWideParams, lib.RequestGroup).
#include <optional>
#include <string>
#include <vector>

#include "api/context.hpp"
#include "scheduler/search/request.hpp"

namespace vgpu::api {

struct CandidateQuery {
  scheduler::search::SearchRequest request;
  // Classes any group asks for: provider_summaries before 1.27 show only these.
  std::vector<scheduler::ClassId> requested_classes;
  // A named provider (in_tree) does not exist: the answer is empty, not an error.
  bool empty_result = false;
};

// Throws ApiError (400) for malformed or inconsistent parameters.
CandidateQuery parse_candidate_query(const Context& ctx);

}  // namespace vgpu::api
