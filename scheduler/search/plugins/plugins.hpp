#pragma once
// The plain Placement rules as plugins. Each is small and tested alone
// (tests/unit/search_plugins_test.cpp); registry.cpp names them.
#include <memory>

#include "scheduler/search/plugin.hpp"

namespace vgpu::scheduler::search {

// Filters
std::unique_ptr<FilterPlugin> make_capacity_fit();     // capacity left and unit rules, per slot
std::unique_ptr<FilterPlugin> make_provider_traits();  // required/forbidden traits
std::unique_ptr<FilterPlugin> make_aggregates();       // member_of, forbidden member_of
std::unique_ptr<FilterPlugin> make_in_tree();          // in_tree
std::unique_ptr<FilterPlugin> make_root_required();    // root_required, on the anchor
// Permits
std::unique_ptr<PermitPlugin> make_combined_capacity();  // amounts several slots take together
std::unique_ptr<PermitPlugin> make_isolate();            // group_policy=isolate
std::unique_ptr<PermitPlugin> make_one_per_tree();       // before 1.29: no nested allocations
std::unique_ptr<PermitPlugin> make_group_traits();       // unnumbered group's traits, collectively
std::unique_ptr<PermitPlugin> make_same_subtree();       // same_subtree
// Scores
std::unique_ptr<ScorePlugin> make_most_allocated();     // fullest provider first (packing)

}  // namespace vgpu::scheduler::search
