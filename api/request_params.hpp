#pragma once
// Query parameters shared by GET /resource_providers and GET /allocation_candidates:
// required (traits), member_of (aggregates), resources, in_tree. Parsing follows upstream's
// rules and messages per microversion; names are resolved against the request's snapshot.
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "api/context.hpp"
#include "scheduler/query/provider_filter.hpp"

namespace vgpu::api {

struct TraitNames {
  std::vector<std::set<std::string>> required_any;
  std::set<std::string> forbidden;
};

TraitNames parse_required(const Context& ctx, const std::string& suffix = "");
scheduler::AggregateRule parse_member_of(const Context& ctx, const std::string& suffix = "");
std::vector<std::pair<std::string, std::int64_t>> parse_resources(const std::string& value);
scheduler::Uuid parse_in_tree(const std::string& value);

// Names to ids; an unknown name -> 400 with `prefix` + "No such trait(s): A, B." as upstream.
scheduler::TraitRule resolve_traits(const Context& ctx, const TraitNames& names,
                                    const std::string& prefix);

}  // namespace vgpu::api
