#pragma once
// A fluent builder of small provider trees for the candidate search tests.
#include <string>
#include <vector>

#include "scheduler/model/state.hpp"
#include "scheduler/search/registry.hpp"
#include "scheduler/search/search.hpp"

namespace vgpu::scheduler::test {

inline constexpr ClassId kVcpuClass = 0;
inline constexpr ClassId kDiskClass = 2;
inline constexpr ClassId kVgpuClass = 9;
inline constexpr TraitId kSharesTrait = 1;
inline constexpr TraitId kGoldTrait = 2;
inline constexpr TraitId kSilverTrait = 3;

inline Uuid test_uuid(int n) {
  Uuid u;
  u.bytes[14] = static_cast<std::uint8_t>(n >> 8);
  u.bytes[15] = static_cast<std::uint8_t>(n);
  u.bytes[6] = 0x40;
  return u;
}

class TreeBuilder {
 public:
  TreeBuilder() {
    state_.load_class(kVcpuClass, "VCPU");
    state_.load_class(kDiskClass, "DISK_GB");
    state_.load_class(kVgpuClass, "VGPU");
    state_.load_trait(kSharesTrait, "MISC_SHARES_VIA_AGGREGATE");
    state_.load_trait(kGoldTrait, "CUSTOM_GOLD");
    state_.load_trait(kSilverTrait, "CUSTOM_SILVER");
  }
  // A provider; parent 0 makes a root.
  TreeBuilder& provider(ProviderId id, ProviderId parent = kNoProvider) {
    flush();
    current_ = Provider{};
    current_.id = id;
    current_.parent = parent;
    current_.uuid = test_uuid(static_cast<int>(id));
    current_.name = "rp" + std::to_string(id);
    open_ = true;
    return *this;
  }
  TreeBuilder& inventory(ClassId rc, std::int64_t total, std::int64_t used = 0) {
    current_.inventories[rc] = Inventory{total, 0, 1, total, 1, 1.0};
    if (used) current_.usage[rc] = used;
    return *this;
  }
  TreeBuilder& trait(TraitId t) {
    current_.traits.push_back(t);
    std::sort(current_.traits.begin(), current_.traits.end());
    return *this;
  }
  TreeBuilder& aggregate(int n) {
    current_.aggregates.push_back(test_uuid(1000 + n));
    std::sort(current_.aggregates.begin(), current_.aggregates.end());
    return *this;
  }
  State build() {
    flush();
    state_.link_trees();
    return state_;
  }

 private:
  void flush() {
    if (open_) state_.load_provider(current_);
    open_ = false;
  }
  State state_;
  Provider current_;
  bool open_ = false;
};

inline search::GroupRequest group(std::string suffix, std::vector<search::ResourceAmount> res) {
  search::GroupRequest g;
  g.same_provider = !suffix.empty();
  g.suffix = std::move(suffix);
  g.resources = std::move(res);
  return g;
}

inline std::vector<search::Candidate> run_search(const State& s, const search::SearchRequest& r) {
  const search::Profile profile = search::build_profile(search::default_profile_config());
  return search::CandidateSearch(profile).run(s, r);
}

// "provider:class:amount ..." of a candidate, for readable expectations.
inline std::string describe(const search::Candidate& c) {
  std::string out;
  for (const auto& a : c.allocations)
    out += (out.empty() ? "" : " ") + std::to_string(a.provider) + ":" +
           std::to_string(a.resource_class) + ":" + std::to_string(a.amount);
  return out;
}

inline std::vector<std::string> describe_all(const std::vector<search::Candidate>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) out.push_back(describe(c));
  return out;
}

}  // namespace vgpu::scheduler::test
