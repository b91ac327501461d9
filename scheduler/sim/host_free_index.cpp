#include "scheduler/sim/host_free_index.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <utility>

namespace vgpu::scheduler::sim {
namespace {

class HostFreeFilter : public search::FilterPlugin {
 public:
  explicit HostFreeFilter(const HostFreeIndex& index) : index_(index) {}
  std::string_view name() const override { return "SimHostFree"; }
  search::Status filter_anchor(const search::SearchContext& ctx, const Provider& root) const override {
    return index_.may_fit(ctx.request(), root.id)
               ? search::Status::success()
               : search::Status::reject("not enough free capacity on the host");
  }

 private:
  const HostFreeIndex& index_;
};

// Forwarders: a profile that borrows another profile's plugins.
class BorrowedFilter : public search::FilterPlugin {
 public:
  explicit BorrowedFilter(const search::FilterPlugin& p) : p_(p) {}
  std::string_view name() const override { return p_.name(); }
  search::Status filter_anchor(const search::SearchContext& c, const Provider& r) const override {
    return p_.filter_anchor(c, r);
  }
  search::Status filter(const search::SearchContext& c, const search::ProviderQuery& q) const override {
    return p_.filter(c, q);
  }
  std::string anchor_detail(const search::SearchContext& c, const Provider& r,
                            const search::Status& s) const override {
    return p_.anchor_detail(c, r, s);
  }
  std::string detail(const search::SearchContext& c, const search::ProviderQuery& q,
                     const search::Status& s) const override {
    return p_.detail(c, q, s);
  }

 private:
  const search::FilterPlugin& p_;
};

class BorrowedPermit : public search::PermitPlugin {
 public:
  explicit BorrowedPermit(const search::PermitPlugin& p) : p_(p) {}
  std::string_view name() const override { return p_.name(); }
  search::Status permit(const search::SearchContext& c, const search::PartialCandidate& pc,
                        std::size_t slot, const Provider& p) const override {
    return p_.permit(c, pc, slot, p);
  }
  search::Status group_done(const search::SearchContext& c, const search::PartialCandidate& pc,
                            std::size_t group) const override {
    return p_.group_done(c, pc, group);
  }
  search::Status complete(const search::SearchContext& c,
                          const search::PartialCandidate& pc) const override {
    return p_.complete(c, pc);
  }
  std::string permit_detail(const search::SearchContext& c, const search::PartialCandidate& pc,
                            std::size_t slot, const Provider& p,
                            const search::Status& s) const override {
    return p_.permit_detail(c, pc, slot, p, s);
  }

 private:
  const search::PermitPlugin& p_;
};

class BorrowedScore : public search::ScorePlugin {
 public:
  explicit BorrowedScore(const search::ScorePlugin& p) : p_(p) {}
  std::string_view name() const override { return p_.name(); }
  int score(const search::SearchContext& c, const search::ProviderQuery& q) const override {
    return p_.score(c, q);
  }
  std::optional<vgpu::ScoreParts> parts(const search::SearchContext& c,
                                        const search::ProviderQuery& q) const override {
    return p_.parts(c, q);
  }
  std::optional<double> candidate_score(const search::SearchContext& c,
                                        const search::Candidate& cand) const override {
    return p_.candidate_score(c, cand);
  }
  void begin_tree(const search::SearchContext& c, const Provider& root) const override {
    p_.begin_tree(c, root);
  }

 private:
  const search::ScorePlugin& p_;
};

std::int64_t free_of(const FlatMap<ClassId, std::int64_t>& f, ClassId rc) {
  const std::int64_t* v = f.find(rc);
  return v ? *v : 0;
}

}  // namespace

HostFreeIndex::HostFreeIndex(const State& state) : enabled_(state.sharing_ids().empty()) {
  for (ProviderId root : state.root_ids()) refresh(state, root);
}

void HostFreeIndex::refresh(const State& state, ProviderId root) {
  if (root < 0) return;
  const auto slot = static_cast<std::size_t>(root);
  if (trees_.size() <= slot) trees_.resize(slot + 1);
  std::vector<Free>& tree = trees_[slot];
  tree.clear();
  for (const Provider* p : state.subtree(root)) {
    Free f;
    for (const auto& [rc, inv] : p->inventories) {
      const std::int64_t* used = p->usage.find(rc);
      f[rc] = inv.capacity() - (used ? *used : 0);
    }
    tree.push_back(std::move(f));
  }
}

bool HostFreeIndex::may_fit(const search::SearchRequest& request, ProviderId root) const {
  if (!enabled_ || root < 0 || static_cast<std::size_t>(root) >= trees_.size()) return true;
  const std::vector<Free>& tree = trees_[static_cast<std::size_t>(root)];
  if (tree.empty()) return true;  // not indexed: no opinion
  // Asked per tree of every request: no allocation while the request asks at most
  // kSmall classes and the tree has at most 64 providers (always, in the traces).
  constexpr std::size_t kSmall = 8;
  std::array<std::pair<ClassId, std::int64_t>, kSmall> small{};
  std::size_t small_count = 0;
  FlatMap<ClassId, std::int64_t> large;  // beyond kSmall classes
  auto add_demand = [&](ClassId rc, std::int64_t amount) {
    for (std::size_t i = 0; i < small_count; ++i)
      if (small[i].first == rc) {
        small[i].second += amount;
        return;
      }
    if (small_count < kSmall && large.empty()) {
      small[small_count++] = {rc, amount};
      return;
    }
    if (large.empty())
      for (std::size_t i = 0; i < small_count; ++i) large[small[i].first] = small[i].second;
    small_count = 0;
    large[rc] += amount;
  };
  std::size_t numbered = 0;
  std::uint64_t serves_mask = 0;                       // providers 0..63
  std::vector<bool> serves_rest(tree.size() > 64 ? tree.size() - 64 : 0, false);
  for (const search::GroupRequest& g : request.groups) {
    for (const search::ResourceAmount& r : g.resources) add_demand(r.resource_class, r.amount);
    if (g.same_provider) {
      // One provider serves the whole group.
      ++numbered;
      bool any = false;
      for (std::size_t i = 0; i < tree.size(); ++i) {
        bool all = true;
        for (const search::ResourceAmount& r : g.resources)
          all = all && free_of(tree[i], r.resource_class) >= r.amount;
        if (all && !g.resources.empty()) {
          if (i < 64) serves_mask |= std::uint64_t{1} << i;
          else serves_rest[i - 64] = true;
        }
        any = any || all;
      }
      if (!any) return false;
    } else {
      // Each class of the unnumbered group from one provider.
      for (const search::ResourceAmount& r : g.resources) {
        bool any = false;
        for (const Free& f : tree) any = any || free_of(f, r.resource_class) >= r.amount;
        if (!any) return false;
      }
    }
  }
  auto enough = [&](ClassId rc, std::int64_t amount) {
    std::int64_t total = 0;
    for (const Free& f : tree) total += free_of(f, rc);
    return total >= amount;
  };
  for (std::size_t i = 0; i < small_count; ++i)
    if (!enough(small[i].first, small[i].second)) return false;
  for (const auto& [rc, amount] : large)
    if (!enough(rc, amount)) return false;
  if (request.isolate && numbered > 1) {
    bool resourceless = false;
    for (const search::GroupRequest& g : request.groups) resourceless |= g.same_provider && g.resources.empty();
    if (!resourceless &&
        static_cast<std::size_t>(std::popcount(serves_mask)) +
                static_cast<std::size_t>(std::count(serves_rest.begin(), serves_rest.end(), true)) <
            numbered)
      return false;
  }
  return true;
}

std::unique_ptr<search::FilterPlugin> make_host_free_filter(const HostFreeIndex& index) {
  return std::make_unique<HostFreeFilter>(index);
}

search::Profile with_host_free_filter(const search::Profile& base, const HostFreeIndex& index) {
  search::Profile p;
  p.vgpu = base.vgpu;
  p.rank_trees = base.rank_trees;
  p.filters.push_back(make_host_free_filter(index));
  for (const auto& f : base.filters) p.filters.push_back(std::make_unique<BorrowedFilter>(*f));
  for (const auto& x : base.permits) p.permits.push_back(std::make_unique<BorrowedPermit>(*x));
  for (const auto& s : base.scores)
    p.scores.push_back({std::make_unique<BorrowedScore>(*s.plugin), s.weight});
  return p;
}

}  // namespace vgpu::scheduler::sim
