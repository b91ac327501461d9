#include "scheduler/search/registry.hpp"

#include <functional>
#include <stdexcept>
#include <string_view>

#include "scheduler/search/plugins/plugins.hpp"
#include "scheduler/search/plugins/vgpu_plugins.hpp"

namespace vgpu::scheduler::search {
namespace {

template <typename T>
using Table = std::vector<std::pair<std::string_view, std::function<std::unique_ptr<T>()>>>;
template <typename T>
using VgpuTable = std::vector<
    std::pair<std::string_view, std::function<std::unique_ptr<T>(const vgpu::VgpuConfig&)>>>;

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

const VgpuTable<FilterPlugin> kVgpuFilters = {
    {"VgpuHostState", make_vgpu_host_state},
    {"VgpuGpuRules", make_vgpu_gpu_rules},
    {"VgpuLicence", make_vgpu_licence},
};
const VgpuTable<PermitPlugin> kVgpuPermits = {{"VgpuSameGpu", make_vgpu_same_gpu}};
const VgpuTable<ScorePlugin> kVgpuScores = {{"VgpuScore", make_vgpu_score}};

template <typename T>
std::unique_ptr<T> make(const Table<T>& table, const VgpuTable<T>& vgpu_table,
                        const std::string& name, const char* field,
                        const vgpu::VgpuConfig* vgpu) {
  for (const auto& [n, factory] : table)
    if (n == name) return factory();
  for (const auto& [n, factory] : vgpu_table) {
    if (n != name) continue;
    if (!vgpu)
      throw std::invalid_argument(std::string(field) + ": plugin '" + name +
                                  "' needs the vGPU configuration");
    return factory(*vgpu);
  }
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

ProfileConfig vgpu_profile_config() {
  ProfileConfig c;
  c.filters = {"VgpuHostState", "ProviderTraits", "Aggregates", "InTree",     "RootRequired",
               "VgpuGpuRules",  "VgpuLicence",    "CapacityFit"};
  for (const auto& [n, f] : kPermits) c.permits.emplace_back(n);
  c.permits.emplace_back("VgpuSameGpu");
  c.scores = {{"MostAllocated", 1}, {"VgpuScore", 100}};
  return c;
}

Profile build_profile(const ProfileConfig& config, const vgpu::VgpuConfig* vgpu) {
  if (vgpu) {
    if (auto error = vgpu::validate(vgpu->weights)) throw std::invalid_argument(*error);
  }
  Profile p;
  p.vgpu = vgpu;
  for (const auto& n : config.filters)
    p.filters.push_back(make(kFilters, kVgpuFilters, n, "filters", vgpu));
  for (const auto& n : config.permits)
    p.permits.push_back(make(kPermits, kVgpuPermits, n, "permits", vgpu));
  for (const auto& [n, weight] : config.scores) {
    if (weight < 1 || weight > 100)
      throw std::invalid_argument("scores." + n + ": weight must be 1..100, got " +
                                  std::to_string(weight));
    p.scores.push_back({make(kScores, kVgpuScores, n, "scores", vgpu), weight});
  }
  return p;
}

Profile build_default_profile(const vgpu::VgpuConfig* vgpu) {
  return vgpu ? build_profile(vgpu_profile_config(), vgpu)
              : build_profile(default_profile_config());
}

}  // namespace vgpu::scheduler::search
