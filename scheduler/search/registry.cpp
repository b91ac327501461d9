#include "scheduler/search/registry.hpp"

#include <functional>
#include <stdexcept>
#include <string_view>

#include "scheduler/search/plugins/plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

template <typename T>
using Table = std::vector<std::pair<std::string_view, std::function<std::unique_ptr<T>()>>>;

const Table<FilterPlugin> kFilters = {
    {"CapacityFit", make_capacity_fit}, {"ProviderTraits", make_provider_traits},
    {"Aggregates", make_aggregates},    {"InTree", make_in_tree},
    {"RootRequired", make_root_required},
};
const Table<PermitPlugin> kPermits = {
    {"CombinedCapacity", make_combined_capacity}, {"Isolate", make_isolate},
    {"OnePerTree", make_one_per_tree},             {"GroupTraits", make_group_traits},
    {"SameSubtree", make_same_subtree},
};
const Table<ScorePlugin> kScores = {{"MostAllocated", make_most_allocated}};

template <typename T>
std::unique_ptr<T> make(const Table<T>& table, const std::string& name, const char* field) {
  for (const auto& [n, factory] : table)
    if (n == name) return factory();
  throw std::invalid_argument(std::string(field) + ": unknown plugin '" + name + "'");
}

}  // namespace

ProfileConfig default_profile_config() {
  ProfileConfig c;
  for (const auto& [n, f] : kFilters) c.filters.emplace_back(n);
  for (const auto& [n, f] : kPermits) c.permits.emplace_back(n);
  c.scores = {{"MostAllocated", 1}};
  return c;
}

Profile build_profile(const ProfileConfig& config) {
  Profile p;
  for (const auto& n : config.filters) p.filters.push_back(make(kFilters, n, "filters"));
  for (const auto& n : config.permits) p.permits.push_back(make(kPermits, n, "permits"));
  for (const auto& [n, weight] : config.scores) {
    if (weight < 1 || weight > 100)
      throw std::invalid_argument("scores." + n + ": weight must be 1..100, got " +
                                  std::to_string(weight));
    p.scores.push_back({make(kScores, n, "scores"), weight});
  }
  return p;
}

}  // namespace vgpu::scheduler::search
