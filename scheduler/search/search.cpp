#include "scheduler/search/search.hpp"

#include <algorithm>
#include <random>
#include <set>
#include <utility>

namespace vgpu::scheduler::search {
namespace {

struct Option {
  const Provider* provider;
  int score;
};

// One tree's depth-first assignment of slots to ranked options.
class TreeWalk {
 public:
  TreeWalk(const Profile& profile, const SearchContext& ctx, const Provider& anchor,
           const std::vector<std::vector<Option>>& options, std::vector<Candidate>& out,
           std::set<std::pair<std::vector<AllocationPart>, std::vector<std::vector<ProviderId>>>>& seen)
      : profile_(profile), ctx_(ctx), options_(options), out_(out), seen_(seen),
        partial_{anchor, {}} {}

  // Returns false once the limit is reached.
  bool walk(std::size_t slot, int score) {
    const auto& slots = ctx_.slots();
    if (slot == slots.size()) return emit(score);
    for (const Option& o : options_[slot]) {
      if (!permitted(slot, *o.provider)) continue;
      partial_.chosen.push_back(o.provider);
      bool ok = true;
      if (slots[slot].last_of_group)
        for (const auto& p : profile_.permits)
          if (!(ok = p->group_done(ctx_, partial_, slots[slot].group).ok)) break;
      const bool more = !ok || walk(slot + 1, score + o.score);
      partial_.chosen.pop_back();
      if (!more) return false;
    }
    return true;
  }

 private:
  bool permitted(std::size_t slot, const Provider& p) const {
    for (const auto& plugin : profile_.permits)
      if (!plugin->permit(ctx_, partial_, slot, p).ok) return false;
    return true;
  }

  bool emit(int score) {
    for (const auto& p : profile_.permits)
      if (!p->complete(ctx_, partial_).ok) return true;
    const auto& slots = ctx_.slots();
    Candidate c;
    c.anchor = partial_.anchor.id;
    c.score = score;
    c.mappings.resize(ctx_.request().groups.size());
    bool uses_sharing = false;
    for (std::size_t i = 0; i < slots.size(); ++i) {
      const Provider* p = partial_.chosen[i];
      uses_sharing = uses_sharing || ctx_.is_sharing(*p);
      auto& m = c.mappings[slots[i].group];
      if (std::find(m.begin(), m.end(), p->id) == m.end()) m.push_back(p->id);
      for (const ResourceAmount& r : slots[i].resources) {
        auto it = std::find_if(c.allocations.begin(), c.allocations.end(), [&](const AllocationPart& a) {
          return a.provider == p->id && a.resource_class == r.resource_class;
        });
        if (it == c.allocations.end()) c.allocations.push_back({p->id, r.resource_class, r.amount});
        else it->amount += r.amount;
      }
    }
    std::sort(c.allocations.begin(), c.allocations.end());
    for (auto& m : c.mappings) std::sort(m.begin(), m.end());
    // A sharing provider serves every tree it is linked to: the same candidate can come from
    // several anchors, and upstream returns it once.
    if (uses_sharing && !seen_.insert({c.allocations, c.mappings}).second) return true;
    out_.push_back(std::move(c));
    const auto& limit = ctx_.request().limit;
    return !(limit && out_.size() >= *limit);
  }

  const Profile& profile_;
  const SearchContext& ctx_;
  const std::vector<std::vector<Option>>& options_;
  std::vector<Candidate>& out_;
  std::set<std::pair<std::vector<AllocationPart>, std::vector<std::vector<ProviderId>>>>& seen_;
  PartialCandidate partial_;
};

}  // namespace

std::vector<Candidate> CandidateSearch::run(const State& state, const SearchRequest& request) const {
  std::vector<Candidate> out;
  if (request.groups.empty() || (request.limit && *request.limit == 0)) return out;
  const SearchContext ctx(state, request);
  const auto& slots = ctx.slots();
  std::mt19937_64 rng(request.seed);

  // Roots are resolved one at a time: a search that reaches `limit` early never looks at the
  // remaining trees. Randomising needs its own copy of the id list.
  std::vector<ProviderId> shuffled;
  if (request.randomize) {
    shuffled = ctx.roots();
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
  }
  const std::vector<ProviderId>& roots = request.randomize ? shuffled : ctx.roots();

  std::set<std::pair<std::vector<AllocationPart>, std::vector<std::vector<ProviderId>>>> seen;
  std::vector<std::vector<Option>> options(slots.size());
  for (ProviderId root_id : roots) {
    const Provider* root = state.provider(root_id);
    bool anchor_ok = true;
    for (const auto& f : profile_.filters)
      if (!(anchor_ok = f->filter_anchor(ctx, *root).ok)) break;
    if (!anchor_ok) continue;
    const std::vector<const Provider*> tree = state.subtree(root->id);
    const std::vector<const Provider*> guests = ctx.sharing_for(tree);
    bool viable = true;
    for (std::size_t s = 0; s < slots.size() && viable; ++s) {
      options[s].clear();
      const GroupRequest& group = ctx.group(slots[s]);
      auto consider = [&](const Provider* p, bool shared) {
        const ProviderQuery q{slots[s], group, *root, *p, shared};
        for (const auto& f : profile_.filters)
          if (!f->filter(ctx, q).ok) return;
        int score = 0;
        for (const auto& sc : profile_.scores) score += sc.weight * sc.plugin->score(ctx, q);
        options[s].push_back({p, score});
      };
      for (const Provider* p : tree) consider(p, false);
      for (const Provider* p : guests) consider(p, true);
      if (request.randomize) {
        std::shuffle(options[s].begin(), options[s].end(), rng);
      } else {
        std::stable_sort(options[s].begin(), options[s].end(), [](const Option& a, const Option& b) {
          return a.score != b.score ? a.score > b.score : a.provider->id < b.provider->id;
        });
      }
      viable = !options[s].empty();
    }
    if (!viable) continue;
    TreeWalk walk(profile_, ctx, *root, options, out, seen);
    if (!walk.walk(0, 0)) break;
  }
  return out;
}

std::vector<const Provider*> summary_providers(const State& state,
                                               const std::vector<Candidate>& candidates,
                                               bool nested_aware) {
  std::vector<const Provider*> out;
  std::set<ProviderId> used;
  for (const Candidate& c : candidates)
    for (const AllocationPart& a : c.allocations) used.insert(a.provider);
  if (!nested_aware && state.has_nested()) {
    for (ProviderId id : used)
      if (const Provider* p = state.provider(id)) out.push_back(p);
    return out;
  }
  std::set<ProviderId> roots;
  for (ProviderId id : used)
    if (const Provider* p = state.provider(id)) roots.insert(p->root);
  for (ProviderId r : roots)
    for (const Provider* p : state.subtree(r)) out.push_back(p);
  return out;
}

}  // namespace vgpu::scheduler::search
