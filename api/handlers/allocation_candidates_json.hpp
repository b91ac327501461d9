#pragma once
// The body of GET /allocation_candidates, written straight into one string: a thousand
// candidates are over a megabyte, and building a DOM first would double the work.
#include <string>
#include <vector>

#include "api/context.hpp"
#include "scheduler/search/candidate.hpp"

namespace vgpu::api {

std::string candidates_json(const Context& ctx,
                            const std::vector<scheduler::search::Candidate>& candidates,
                            const std::vector<scheduler::ClassId>& requested_classes,
                            const std::vector<std::string>& suffixes);  // per group

}  // namespace vgpu::api
