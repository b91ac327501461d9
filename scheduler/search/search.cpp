#include "scheduler/search/search.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "scheduler/search/gpu_room.hpp"
#include "scheduler/search/plugins/vgpu_request.hpp"

namespace vgpu::scheduler::search {
namespace {

struct Option {
  const Provider* provider;
  int score;
  std::optional<vgpu::ScoreParts> parts;  // from a score plugin with parts (the vGPU score)
};

using Options = std::vector<std::vector<Option>>;  // per slot, best first
using Seen = std::set<std::pair<std::vector<AllocationPart>, std::vector<std::vector<ProviderId>>>>;

// Writes rejections of managed providers into an Explain, once per (provider, group, plugin).
class Recorder {
 public:
  explicit Recorder(const SearchContext& ctx) : ctx_(ctx), explain_(ctx.explain()) {}
  bool on() const { return explain_ != nullptr; }

  // Whether a rejection of `p` for `slot` is worth explaining: a managed GPU asked for a vGPU,
  // or a managed host's root asked for something else (VCPU, MEMORY_MB...).
  bool wanted(const Provider& p, std::size_t slot) const {
    if (!explain_) return false;
    const bool asks_vgpu = ctx_.vgpu() && !ctx_.vgpu()->asks(slot).empty();
    if (asks_vgpu) return ctx_.state().managed_gpu(p.id) != nullptr;
    return ctx_.state().managed_host_of_root(p.id) != nullptr;
  }
  void add(const Provider& p, ProviderId root, std::size_t group, std::string_view plugin,
           const Status& status, std::string detail) {
    if (!seen_.emplace(p.id, group, plugin).second) return;
    explain_->rejections.push_back(
        {p.id, root, group, std::string(plugin), std::string(status.reason), std::move(detail)});
  }

 private:
  const SearchContext& ctx_;
  Explain* explain_;
  std::set<std::tuple<ProviderId, std::size_t, std::string_view>> seen_;
};

// Filters and ranks the providers that may serve each slot of the tree anchored at `root`.
// False when the anchor is refused or a slot has no provider. With explain on, every slot is
// still looked at, so that every rejection in the tree is recorded.
bool evaluate_tree(const Profile& profile, const SearchContext& ctx, const Provider& root,
                   Options& options, std::mt19937_64& rng, Recorder& rec) {
  for (const auto& f : profile.filters) {
    const Status st = f->filter_anchor(ctx, root);
    if (st.ok) continue;
    if (rec.on() && ctx.state().managed_host_of_root(root.id))
      rec.add(root, root.id, kNoGroup, f->name(), st, f->anchor_detail(ctx, root, st));
    return false;
  }
  if (profile.rank_trees)
    for (const auto& sc : profile.scores) sc.plugin->begin_tree(ctx, root);
  const State& state = ctx.state();
  const auto& slots = ctx.slots();
  const std::vector<const Provider*> tree = state.subtree(root.id);
  const std::vector<const Provider*> guests = ctx.sharing_for(tree);
  options.resize(slots.size());
  bool viable = true;
  for (std::size_t s = 0; s < slots.size() && (viable || rec.on()); ++s) {
    options[s].clear();
    const GroupRequest& group = ctx.group(slots[s]);
    auto consider = [&](const Provider* p, bool shared) {
      const ProviderQuery q{slots[s], group, root, *p, shared};
      for (const auto& f : profile.filters) {
        const Status st = f->filter(ctx, q);
        if (st.ok) continue;
        if (rec.wanted(*p, s))
          rec.add(*p, root.id, slots[s].group, f->name(), st, f->detail(ctx, q, st));
        return;
      }
      Option o{p, 0, std::nullopt};
      for (const auto& sc : profile.scores) {
        std::optional<vgpu::ScoreParts> parts = sc.plugin->parts(ctx, q);
        const int value =
            parts ? static_cast<int>(std::lround(parts->total)) : sc.plugin->score(ctx, q);
        o.score += sc.weight * value;
        if (parts) o.parts = parts;
      }
      options[s].push_back(std::move(o));
    };
    for (const Provider* p : tree) consider(p, false);
    for (const Provider* p : guests) consider(p, true);
    if (ctx.request().randomize) {
      std::shuffle(options[s].begin(), options[s].end(), rng);
    } else {
      std::stable_sort(options[s].begin(), options[s].end(), [](const Option& a, const Option& b) {
        return a.score != b.score ? a.score > b.score : a.provider->id < b.provider->id;
      });
    }
    viable = viable && !options[s].empty();
  }
  return viable;
}

// The mean of the parts of the chosen options that have parts.
std::optional<vgpu::ScoreParts> mean_parts(const std::vector<const Option*>& chosen) {
  vgpu::ScoreParts sum;
  int n = 0;
  for (const Option* o : chosen) {
    if (!o->parts) continue;
    for (const vgpu::ScoreField& f : vgpu::kScoreFields) sum.*f.part += (*o->parts).*f.part;
    sum.total += o->parts->total;
    ++n;
  }
  if (n == 0) return std::nullopt;
  for (const vgpu::ScoreField& f : vgpu::kScoreFields) sum.*f.part /= n;
  sum.total /= n;
  return sum;
}

// One tree's depth-first assignment of slots to ranked options.
class TreeWalk {
 public:
  TreeWalk(const Profile& profile, const SearchContext& ctx, const Provider& anchor,
           const Options& options, std::vector<Candidate>& out, Seen& seen, Recorder& rec)
      : profile_(profile), ctx_(ctx), options_(options), out_(out), seen_(seen), rec_(rec),
        partial_{anchor, {}} {}

  // Returns false once the limit is reached.
  bool walk(std::size_t slot, int score) {
    const auto& slots = ctx_.slots();
    if (slot == slots.size()) return emit(score);
    for (const Option& o : options_[slot]) {
      if (!permitted(slot, *o.provider)) continue;
      partial_.chosen.push_back(o.provider);
      chosen_.push_back(&o);
      bool ok = true;
      if (slots[slot].last_of_group)
        for (const auto& p : profile_.permits)
          if (!(ok = p->group_done(ctx_, partial_, slots[slot].group).ok)) break;
      const bool more = !ok || walk(slot + 1, score + o.score);
      partial_.chosen.pop_back();
      chosen_.pop_back();
      if (!more) return false;
    }
    return true;
  }

 private:
  bool permitted(std::size_t slot, const Provider& p) {
    for (const auto& plugin : profile_.permits) {
      const Status st = plugin->permit(ctx_, partial_, slot, p);
      if (st.ok) continue;
      if (rec_.wanted(p, slot))
        rec_.add(p, partial_.anchor.id, ctx_.slots()[slot].group, plugin->name(), st,
                 plugin->permit_detail(ctx_, partial_, slot, p, st));
      return false;
    }
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
    c.vgpu_score = mean_parts(chosen_);
    if (Explain* e = ctx_.explain()) {
      CandidateExplain ce;
      ce.parts = c.vgpu_score;
      for (std::size_t i = 0; i < slots.size(); ++i) {
        if (!chosen_[i]->parts) continue;
        SlotScore score{slots[i].group, chosen_[i]->provider->id, {}, *chosen_[i]->parts};
        const ManagedGpu* gpu = ctx_.state().managed_gpu(score.provider);
        if (gpu && ctx_.vgpu()) score.vgpus = ctx_.vgpu()->evaluate(i, *gpu).resolved.vgpus;
        ce.slots.push_back(std::move(score));
      }
      e->candidates.push_back(std::move(ce));
    }
    out_.push_back(std::move(c));
    const auto& limit = ctx_.request().limit;
    return !(limit && out_.size() >= *limit);
  }

  const Profile& profile_;
  const SearchContext& ctx_;
  const Options& options_;
  std::vector<Candidate>& out_;
  Seen& seen_;
  Recorder& rec_;
  PartialCandidate partial_;
  std::vector<const Option*> chosen_;  // parallel to partial_.chosen
};

// How a tree ranks against the others when the vGPU score orders them: trees whose best
// options are on managed GPUs first, awake hosts before standby ones, then by the vGPU total of
// the best option of each vGPU slot (their mean), then by root id. Trees without a vGPU score
// follow in root id order (the plain order).
struct TreeRank {
  bool vgpu = false;
  bool awake = true;
  double total = 0;
  double gpu_room = 0;  // requests for no vGPU: free GPUs of the host (gpu_room.hpp)
  ProviderId root = kNoProvider;

  friend bool operator<(const TreeRank& a, const TreeRank& b) {  // "ranks before"
    if (a.vgpu != b.vgpu) return a.vgpu;
    if (a.awake != b.awake) return a.awake;
    if (a.vgpu) {
      if (a.total != b.total) return a.total > b.total;
    } else if (a.gpu_room != b.gpu_room) {
      return a.gpu_room < b.gpu_room;
    }
    return a.root < b.root;
  }
};

TreeRank rank_of(const SearchContext& ctx, const Provider& root, const Options& options) {
  TreeRank r;
  r.root = root.id;
  int n = 0;
  for (const auto& slot : options) {
    if (slot.empty() || !slot.front().parts) continue;
    r.total += slot.front().parts->total;
    ++n;
  }
  r.vgpu = n > 0;
  if (n > 0) r.total /= n;
  const ManagedHost* host = ctx.state().managed_host_of_root(root.id);
  r.awake = !host || vgpu::is_awake(host->state);
  if (!ctx.vgpu()->asks_any()) r.gpu_room = gpu_room(ctx.state(), root.id, ctx.vgpu()->catalog());
  return r;
}

bool keeps_gpus_free(const Profile& profile) {
  return std::any_of(profile.scores.begin(), profile.scores.end(),
                     [](const WeightedScore& s) { return s.plugin->keeps_gpus_free(); });
}

// Trees are ranked only when it can matter: a vGPU configuration and at least one managed host,
// and a request for a vGPU (ranked by the vGPU score) or, when a score keeps GPUs free, for no
// vGPU (ranked by GPU room, least first). Otherwise the plain, lazy order (roots by id).
bool ranks_trees(const Profile& profile, const SearchContext& ctx) {
  if (ctx.request().randomize || !ctx.vgpu() || ctx.state().managed_host_count() == 0) return false;
  return ctx.vgpu()->asks_any() || keeps_gpus_free(profile);
}

// The trees a TreeMemo keeps for this request's content (search.hpp).
class MemoView {
 public:
  MemoView() = default;
  MemoView(TreeMemo::Entries* trees, const std::vector<std::uint64_t>* versions)
      : trees_(trees), versions_(versions) {}
  explicit operator bool() const { return trees_ != nullptr; }
  // What is kept of the tree at `root`, or null when it changed since (or was never kept).
  const TreeMemo::Tree* find(ProviderId root) const {
    const std::uint64_t v = version(root);
    if (v == 0 || static_cast<std::size_t>(root) >= trees_->size()) return nullptr;
    const TreeMemo::Tree& t = (*trees_)[static_cast<std::size_t>(root)];
    return t.version == v ? &t : nullptr;
  }
  void keep(ProviderId root, TreeMemo::Tree t) {
    t.version = version(root);
    if (t.version == 0) return;
    const auto i = static_cast<std::size_t>(root);
    if (trees_->size() <= i) trees_->resize(i + 1);
    (*trees_)[i] = t;
  }

 private:
  std::uint64_t version(ProviderId root) const {
    if (root < 0 || static_cast<std::size_t>(root) >= versions_->size()) return 0;
    return (*versions_)[static_cast<std::size_t>(root)] + 1;
  }
  TreeMemo::Entries* trees_ = nullptr;
  const std::vector<std::uint64_t>* versions_ = nullptr;
};

// The memo's key: every field of the request, and the licence pools' free seats (the one thing
// outside a tree a filter reads). A field added to SearchRequest or GroupRequest must be added
// here: the static_assert is there to say so.
void put(std::string& key, std::int64_t v) { key.append(reinterpret_cast<const char*>(&v), sizeof v); }
template <typename T>
void put_ids(std::string& key, const std::vector<T>& ids) {
  put(key, static_cast<std::int64_t>(ids.size()));
  for (const T& id : ids) put(key, static_cast<std::int64_t>(id));
}
void put_rule(std::string& key, const TraitRule& r) {
  put(key, static_cast<std::int64_t>(r.required_any.size()));
  for (const auto& any : r.required_any) put_ids(key, any);
  put_ids(key, r.forbidden);
}
void put_uuids(std::string& key, const std::vector<Uuid>& uuids) {
  put(key, static_cast<std::int64_t>(uuids.size()));
  for (const Uuid& u : uuids)
    key.append(reinterpret_cast<const char*>(u.bytes.data()), u.bytes.size());
}

std::string memo_key(const SearchRequest& r, const State& state) {
  static_assert(sizeof(GroupRequest) == 176 && sizeof(SearchRequest) == 152,
                "a field was added to the search request: add it to memo_key");
  std::string key;
  put(key, static_cast<std::int64_t>(r.groups.size()));
  for (const GroupRequest& g : r.groups) {
    put(key, static_cast<std::int64_t>(g.suffix.size()));
    key += g.suffix;
    put(key, g.same_provider);
    put(key, static_cast<std::int64_t>(g.resources.size()));
    for (const ResourceAmount& a : g.resources) {
      put(key, a.resource_class);
      put(key, a.amount);
    }
    put_rule(key, g.traits);
    put(key, static_cast<std::int64_t>(g.aggregates.member_of_any.size()));
    for (const auto& any : g.aggregates.member_of_any) put_uuids(key, any);
    put_uuids(key, g.aggregates.forbidden);
    put(key, g.in_tree_root ? *g.in_tree_root : -2);
  }
  put(key, r.isolate);
  put_rule(key, r.root_required);
  put(key, static_cast<std::int64_t>(r.same_subtree.size()));
  for (const auto& groups : r.same_subtree) put_ids(key, groups);
  put(key, r.limit ? static_cast<std::int64_t>(*r.limit) : -1);
  put(key, r.nested_aware);
  put(key, r.randomize);
  put(key, static_cast<std::int64_t>(r.seed));
  put(key, r.allow_wake_standby ? *r.allow_wake_standby : 2);
  put(key, r.prefer_spread);
  put(key, r.request_mix ? static_cast<std::int64_t>(r.request_mix->size()) : -1);
  if (r.request_mix)
    for (const vgpu::ProfileWeight& w : *r.request_mix) {
      put(key, w.profile);
      key.append(reinterpret_cast<const char*>(&w.weight), sizeof w.weight);
    }
  for (const vgpu::LicencePool& pool : state.licence_pools().pools) {
    const std::optional<std::int64_t> free = vgpu::free_seats(pool);
    const std::optional<std::int64_t> free_reserve = vgpu::free_seats(pool, true);
    put(key, free ? *free : -1);
    put(key, free_reserve ? *free_reserve : -1);
  }
  return key;
}

// Profile::rank_trees with a memo: the same order and candidates as ranked_by_candidates, from
// each tree's kept score when the tree has not changed; only the trees that come out are
// evaluated and walked again for their candidates.
std::vector<Candidate> ranked_by_kept_scores(const Profile& profile, const SearchContext& ctx,
                                             std::mt19937_64& rng, Recorder& rec, MemoView memo) {
  struct Ranked {
    double score = 0;
    ProviderId root = kNoProvider;
  };
  const State& state = ctx.state();
  const std::size_t keep = ctx.request().limit.value_or(SIZE_MAX);
  std::vector<Ranked> best;  // at most `keep` trees, best first; equal scores in root id order
  Options options;
  Seen seen;
  std::vector<Candidate> first;
  for (ProviderId root_id : ctx.roots()) {
    double score = 0;
    if (const TreeMemo::Tree* t = memo.find(root_id)) {
      if (!t->viable) continue;
      score = t->score;
    } else {
      const Provider* root = state.provider(root_id);
      first.clear();
      if (evaluate_tree(profile, ctx, *root, options, rng, rec)) {
        TreeWalk walk(profile, ctx, *root, options, first, seen, rec);
        walk.walk(0, 0);
      }
      TreeMemo::Tree kept;
      kept.viable = !first.empty();
      for (const auto& sc : profile.scores)
        if (kept.viable)
          if (auto v = sc.plugin->candidate_score(ctx, first.front())) kept.score += sc.weight * *v;
      memo.keep(root_id, kept);
      if (!kept.viable) continue;
      score = kept.score;
    }
    // After the trees that score as well (they came first), before the first that scores less.
    auto at = std::upper_bound(best.begin(), best.end(), score,
                               [](double s, const Ranked& t) { return s > t.score; });
    if (static_cast<std::size_t>(at - best.begin()) >= keep) continue;
    best.insert(at, Ranked{score, root_id});
    if (best.size() > keep) best.pop_back();
  }
  std::vector<Candidate> out;
  for (const Ranked& t : best) {
    const Provider* root = state.provider(t.root);
    first.clear();
    if (!evaluate_tree(profile, ctx, *root, options, rng, rec)) continue;
    TreeWalk walk(profile, ctx, *root, options, first, seen, rec);
    walk.walk(0, 0);
    for (Candidate& c : first) {
      if (out.size() >= keep) return out;
      out.push_back(std::move(c));
    }
  }
  return out;
}

// Profile::rank_trees: every viable tree gives its first candidates (at most `limit`, chosen
// inside the tree by the slot scores); trees are ordered by the weighted candidate_score of
// their first candidate (ties by root id) and their candidates come out in that order until
// `limit`. Cost: one filter and score pass over every provider plus one walk per tree to its
// first candidate(s); only the `limit` best trees are kept while walking.
std::vector<Candidate> ranked_by_candidates(const Profile& profile, const SearchContext& ctx,
                                            std::mt19937_64& rng, Recorder& rec) {
  struct Ranked {
    double score = 0;
    std::vector<Candidate> candidates;
    std::vector<CandidateExplain> explained;
  };
  const State& state = ctx.state();
  Explain* explain = ctx.explain();
  const std::size_t keep = ctx.request().limit.value_or(SIZE_MAX);
  std::vector<Ranked> best;  // at most `keep` trees, best first; equal scores in root id order
  Options options;
  Seen seen;
  Ranked r;
  for (ProviderId root_id : ctx.roots()) {
    const Provider* root = state.provider(root_id);
    if (!evaluate_tree(profile, ctx, *root, options, rng, rec)) continue;
    r.score = 0;
    r.candidates.clear();
    r.explained.clear();
    const std::size_t explained_before = explain ? explain->candidates.size() : 0;
    TreeWalk walk(profile, ctx, *root, options, r.candidates, seen, rec);
    walk.walk(0, 0);
    if (explain) {  // this tree's explained candidates move with the tree
      auto first = explain->candidates.begin() + static_cast<std::ptrdiff_t>(explained_before);
      r.explained.assign(std::make_move_iterator(first),
                         std::make_move_iterator(explain->candidates.end()));
      explain->candidates.erase(first, explain->candidates.end());
    }
    if (r.candidates.empty()) continue;
    for (const auto& sc : profile.scores)
      if (auto v = sc.plugin->candidate_score(ctx, r.candidates.front())) r.score += sc.weight * *v;
    // After the trees that score as well (they came first), before the first that scores less.
    auto at = std::upper_bound(best.begin(), best.end(), r.score,
                               [](double s, const Ranked& t) { return s > t.score; });
    if (static_cast<std::size_t>(at - best.begin()) >= keep) continue;
    best.insert(at, std::move(r));
    if (best.size() > keep) {
      r = std::move(best.back());  // reuse its buffers
      best.pop_back();
    } else {
      r = Ranked{};
    }
  }
  std::vector<Candidate> out;
  for (Ranked& t : best) {
    for (std::size_t i = 0; i < t.candidates.size(); ++i) {
      if (out.size() >= keep) return out;
      out.push_back(std::move(t.candidates[i]));
      if (explain && i < t.explained.size()) explain->candidates.push_back(std::move(t.explained[i]));
    }
  }
  return out;
}

}  // namespace

std::vector<Candidate> CandidateSearch::run(const State& state, const SearchRequest& request,
                                            Explain* explain, TreeMemo* tree_memo) const {
  std::vector<Candidate> out;
  if (request.groups.empty() || (request.limit && *request.limit == 0)) return out;
  const SearchContext ctx(state, request, profile_.vgpu, explain);
  std::mt19937_64 rng(request.seed);
  Recorder rec(ctx);
  Seen seen;
  MemoView memo;
  if (tree_memo && !explain && !request.randomize && state.sharing_ids().empty())
    memo = MemoView(&tree_memo->requests_[memo_key(request, state)], &tree_memo->versions_);

  if (profile_.rank_trees && !request.randomize) {
    if (memo) return ranked_by_kept_scores(profile_, ctx, rng, rec, memo);
    return ranked_by_candidates(profile_, ctx, rng, rec);
  }

  if (memo && ranks_trees(profile_, ctx)) {
    // As below, with each unchanged tree's rank as kept; only the trees walked are evaluated
    // again (their options hold this snapshot's providers).
    std::vector<TreeRank> ranks;
    Options options;
    for (ProviderId root_id : ctx.roots()) {
      if (const TreeMemo::Tree* t = memo.find(root_id)) {
        if (t->viable) ranks.push_back({t->vgpu, t->awake, t->total, t->gpu_room, root_id});
        continue;
      }
      const Provider* root = state.provider(root_id);
      TreeMemo::Tree kept;
      kept.viable = evaluate_tree(profile_, ctx, *root, options, rng, rec);
      if (kept.viable) {
        const TreeRank r = rank_of(ctx, *root, options);
        kept.vgpu = r.vgpu;
        kept.awake = r.awake;
        kept.total = r.total;
        kept.gpu_room = r.gpu_room;
        ranks.push_back(r);
      }
      memo.keep(root_id, kept);
    }
    std::sort(ranks.begin(), ranks.end());
    for (const TreeRank& rank : ranks) {
      const Provider* root = state.provider(rank.root);
      if (!evaluate_tree(profile_, ctx, *root, options, rng, rec)) continue;
      TreeWalk walk(profile_, ctx, *root, options, out, seen, rec);
      if (!walk.walk(0, 0)) break;
    }
    return out;
  }

  if (ranks_trees(profile_, ctx)) {
    // Every tree is filtered and scored first (linear in providers), then the viable ones are
    // sorted by their rank and walked best first until `limit`.
    std::vector<std::pair<TreeRank, Options>> trees;
    Options options;
    for (ProviderId root_id : ctx.roots()) {
      const Provider* root = state.provider(root_id);
      if (!evaluate_tree(profile_, ctx, *root, options, rng, rec)) continue;
      trees.emplace_back(rank_of(ctx, *root, options), std::move(options));
      options = {};
    }
    std::sort(trees.begin(), trees.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [rank, tree_options] : trees) {
      TreeWalk walk(profile_, ctx, *state.provider(rank.root), tree_options, out, seen, rec);
      if (!walk.walk(0, 0)) break;
    }
    return out;
  }

  // Roots are resolved one at a time: a search that reaches `limit` early never looks at the
  // remaining trees. Randomising needs its own copy of the id list.
  std::vector<ProviderId> shuffled;
  if (request.randomize) {
    shuffled = ctx.roots();
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
  }
  const std::vector<ProviderId>& roots = request.randomize ? shuffled : ctx.roots();
  Options options;
  for (ProviderId root_id : roots) {
    // With a memo, a tree kept as having no candidate for this request is passed over.
    const TreeMemo::Tree* kept = memo ? memo.find(root_id) : nullptr;
    if (kept && !kept->viable) continue;
    const Provider* root = state.provider(root_id);
    const std::size_t before = out.size();
    bool more = true;
    if (evaluate_tree(profile_, ctx, *root, options, rng, rec)) {
      TreeWalk walk(profile_, ctx, *root, options, out, seen, rec);
      more = walk.walk(0, 0);
    }
    if (memo && !kept) {
      TreeMemo::Tree t;
      t.viable = out.size() > before;
      memo.keep(root_id, t);
    }
    if (!more) break;
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
