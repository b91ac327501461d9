#include "scheduler/sim/policy_registry.hpp"

#include <stdexcept>

#include "scheduler/search/plugins/policy_plugins.hpp"
#include "scheduler/search/registry.hpp"

namespace vgpu::scheduler::sim {

void PolicyRegistry::add(std::string name, std::string description, PolicyFactory factory,
                         bool rank_trees, bool tree_local) {
  Entry entry{std::move(name), std::move(description), std::move(factory), rank_trees, tree_local};
  for (Entry& e : entries_)
    if (e.name == entry.name) {
      e = std::move(entry);
      return;
    }
  entries_.push_back(std::move(entry));
}

bool PolicyRegistry::has(std::string_view name) const {
  for (const Entry& e : entries_)
    if (e.name == name) return true;
  return false;
}

std::vector<std::string> PolicyRegistry::names() const {
  std::vector<std::string> out;
  for (const Entry& e : entries_) out.push_back(e.name);
  return out;
}

const PolicyRegistry::Entry& PolicyRegistry::find(std::string_view name) const {
  for (const Entry& e : entries_)
    if (e.name == name) return e;
  std::string known;
  for (const Entry& e : entries_) known += (known.empty() ? "" : ", ") + e.name;
  throw std::invalid_argument("unknown policy '" + std::string(name) + "' (known: " + known + ")");
}

bool PolicyRegistry::tree_local(std::string_view name) const { return find(name).tree_local; }

const std::string& PolicyRegistry::description(std::string_view name) const {
  return find(name).description;
}

search::Profile PolicyRegistry::build(std::string_view name, const PolicyContext& context) const {
  const Entry& e = find(name);
  const vgpu::VgpuConfig* vgpu = context.cluster.vgpu();
  search::ProfileConfig plain = vgpu ? search::vgpu_profile_config() : search::default_profile_config();
  plain.scores.clear();  // the policy alone ranks
  search::Profile profile = search::build_profile(plain, vgpu);
  profile.scores = e.factory(context);
  profile.rank_trees = e.rank_trees;
  return profile;
}

PolicyRegistry builtin_policies() {
  PolicyRegistry r;
  auto one = [](std::unique_ptr<search::ScorePlugin> p) {
    std::vector<search::WeightedScore> v;
    v.push_back({std::move(p), 1});
    return v;
  };
  // random is not tree-local: its draws follow the order of every score asked.
  r.add("random", "a host drawn uniformly among those that fit (FGD paper's Random)",
        [one](const PolicyContext& c) { return one(search::make_policy_random(c.model, c.seed)); });
  r.add("best-fit", "the host with the least CPU and GPU left after placing (FGD paper's BestFit)",
        [one](const PolicyContext& c) {
          return one(search::make_policy_best_fit(c.model));
        },
        true, true);
  r.add("fgd", "fragmentation gradient descent against the target workload (FGD paper)",
        [one](const PolicyContext& c) {
          if (!c.fragmentation)
            throw std::invalid_argument("policy 'fgd' needs a target workload (the pod list)");
          return one(search::make_policy_fgd(c.model, *c.fragmentation));
        },
        true, true);
  add_vgpu_policies(r);
  return r;
}

}  // namespace vgpu::scheduler::sim
