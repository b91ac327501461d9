// GET /vgpu/v1/candidates?profile=A40-4Q&count=1&explain=true[&limit=&allow_standby=&spread=]:
// a what-if. Where could `count` vGPUs of the profile go right now (all on one GPU), best first,
// and, with explain, each candidate's score parts and every managed provider turned down with
// the rule that turned it down. Nothing is claimed.
//
// Nova names a vGPU two ways (managed_gpu.hpp), so the question is asked twice, once per naming,
// and the answers merged by score: a numbered group of `count` CUSTOM_VGPU_<P> (or the mapped
// class) for GPUs named by resource class, and a numbered group of `count` VGPU requiring
// CUSTOM_NVIDIA_<P> (or the mapped trait) for GPUs named by trait. A naming whose class or
// trait does not exist yet has no GPU, so its search is skipped. Each candidate's `allocations`
// is what PUT /allocations/{consumer} takes to claim it.
#include <algorithm>
#include <charconv>

#include "api/handler_util.hpp"
#include "api/request_mix_tracker.hpp"
#include "api/handlers/vgpu_routes.hpp"
#include "api/vgpu_json.hpp"
#include "scheduler/search/registry.hpp"
#include "scheduler/search/search.hpp"
#include "scheduler/vgpu/name_resolver.hpp"

namespace vgpu::api {
namespace {

namespace sv = scheduler::vgpu;
namespace search = scheduler::search;

constexpr std::size_t kDefaultLimit = 50;

bool bool_param(const Context& ctx, std::string_view name, bool fallback) {
  const std::string* v = ctx.query.get(name);
  if (!v) return fallback;
  if (*v == "true" || *v == "1" || *v == "yes") return true;
  if (*v == "false" || *v == "0" || *v == "no") return false;
  throw bad_request("Invalid query string parameters: " + std::string(name) +
                        " must be true or false, got '" + *v + "'",
                    code::kQueryBadValue);
}

std::int64_t int_param(const Context& ctx, std::string_view name, std::int64_t fallback,
                       std::int64_t min, std::int64_t max) {
  const std::string* v = ctx.query.get(name);
  if (!v) return fallback;
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (v->empty() || ec != std::errc() || end != v->data() + v->size() || n < min || n > max)
    throw bad_request("Invalid query string parameters: " + std::string(name) +
                          " must be a whole number from " + std::to_string(min) + " to " +
                          std::to_string(max) + ", got '" + *v + "'",
                      code::kQueryBadValue);
  return n;
}

struct Found {
  search::Candidate candidate;
  search::CandidateExplain explain;
};

// One search for one naming; `naming` keeps the rejections to the GPUs named that way (the
// other naming's GPUs fail this search's capacity check for reasons of spelling, not rules).
void run_search(const Context& ctx, const search::Profile& profile, search::SearchRequest request,
                scheduler::VgpuNaming naming, std::vector<Found>& found,
                std::vector<search::Rejection>& rejections, bool explain) {
  search::Explain ex;
  const auto result = search::CandidateSearch(profile).run(*ctx.state, request, explain ? &ex : nullptr);
  for (std::size_t i = 0; i < result.size(); ++i)
    found.push_back({result[i], explain && i < ex.candidates.size() ? ex.candidates[i]
                                                                     : search::CandidateExplain{}});
  for (auto& r : ex.rejections) {
    const scheduler::ManagedGpu* g = ctx.state->managed_gpu(r.provider);
    if (g && g->naming != naming) continue;
    const bool seen = std::any_of(rejections.begin(), rejections.end(), [&](const auto& o) {
      return o.provider == r.provider && o.rule == r.rule && o.detail == r.detail;
    });
    if (!seen) rejections.push_back(std::move(r));
  }
}

nlohmann::json parts_json(const sv::ScoreParts& p) {
  return {{"total", p.total}, {"packing", p.packing}, {"fragmentation", p.fragmentation},
          {"energy", p.energy}, {"spread", p.spread}};
}

nlohmann::json candidate_json(const Context& ctx, const Found& f, bool explain) {
  const scheduler::State& state = *ctx.state;
  nlohmann::json allocations = nlohmann::json::object();
  const scheduler::ManagedGpu* gpu = nullptr;
  for (const search::AllocationPart& a : f.candidate.allocations) {
    const scheduler::Provider* p = state.provider(a.provider);
    const std::string* cls = state.classes().name_of(a.resource_class);
    if (!p || !cls) continue;
    allocations[p->uuid.str()]["resources"][*cls] = a.amount;
    if (!gpu) gpu = state.managed_gpu(a.provider);
  }
  const scheduler::Provider* root = state.provider(f.candidate.anchor);
  const scheduler::ManagedHost* host = state.managed_host_of_root(f.candidate.anchor);
  nlohmann::json out = {
      {"host", host ? nlohmann::json(host->hostname)
                    : root ? nlohmann::json(root->name) : nlohmann::json(nullptr)},
      {"root_provider_uuid", root ? nlohmann::json(root->uuid.str()) : nlohmann::json(nullptr)},
      {"gpu_provider_uuid", gpu ? nlohmann::json(gpu->provider_uuid.str()) : nlohmann::json(nullptr)},
      {"pci_address", gpu ? nlohmann::json(gpu->pci_address) : nlohmann::json(nullptr)},
      {"score", f.candidate.vgpu_score ? nlohmann::json(f.candidate.vgpu_score->total)
                                       : nlohmann::json(nullptr)},
      {"allocations", std::move(allocations)},
  };
  if (explain) {
    const auto& parts = f.explain.parts ? f.explain.parts : f.candidate.vgpu_score;
    out["parts"] = parts ? parts_json(*parts) : nlohmann::json(nullptr);
  }
  return out;
}

nlohmann::json rejection_json(const Context& ctx, const search::Rejection& r) {
  const scheduler::State& state = *ctx.state;
  const scheduler::Provider* p = state.provider(r.provider);
  const scheduler::ManagedGpu* gpu = state.managed_gpu(r.provider);
  const scheduler::ManagedHost* host = state.managed_host_of_root(r.root);
  return {{"provider", p ? nlohmann::json(p->uuid.str()) : nlohmann::json(nullptr)},
          {"provider_name", p ? nlohmann::json(p->name) : nlohmann::json(nullptr)},
          {"host", host ? nlohmann::json(host->hostname) : nlohmann::json(nullptr)},
          {"pci_address", gpu ? nlohmann::json(gpu->pci_address) : nlohmann::json(nullptr)},
          {"plugin", r.plugin},
          {"rule", r.rule},
          {"detail", r.detail}};
}

Response list_candidates(Context& ctx) {
  check_accept_json(ctx);
  static const JsonSchema query_schema(R"({"type": "object",
      "properties": {
        "profile": {"type": "string", "minLength": 1, "maxLength": 64},
        "count": {"type": "string"}, "explain": {"type": "string"},
        "limit": {"type": "string"}, "allow_standby": {"type": "string"},
        "spread": {"type": "string"}},
      "required": ["profile"],
      "additionalProperties": false})");
  validate_query(ctx, query_schema);
  const std::string& name = *ctx.query.get("profile");
  const auto profile = ctx.vgpu->catalog.find_profile(name);
  if (!profile)
    throw bad_request("Invalid query string parameters: unknown profile '" + name + "'",
                      vgpu_code::kUnknownProfile);
  const std::int64_t count = int_param(ctx, "count", 1, 1, 64);
  const auto limit = static_cast<std::size_t>(int_param(ctx, "limit", kDefaultLimit, 1, 10000));
  const bool explain = bool_param(ctx, "explain", false);
  const bool spread = bool_param(ctx, "spread", false);

  search::SearchRequest base;
  base.limit = limit;
  base.prefer_spread = spread;
  if (ctx.query.has("allow_standby")) base.allow_wake_standby = bool_param(ctx, "allow_standby", false);

  const search::Profile search_profile = search::build_default_profile(ctx.vgpu);
  const auto mix = ctx.request_mix ? ctx.request_mix->weights() : nullptr;
  base.request_mix = mix.get();
  std::vector<Found> found;
  std::vector<search::Rejection> rejections;
  const scheduler::State& state = *ctx.state;

  if (auto cls = state.classes().id_of(sv::resource_class_for(*ctx.vgpu, *profile))) {
    search::SearchRequest r = base;
    search::GroupRequest g;
    g.suffix = "1";
    g.same_provider = true;
    g.resources.push_back({*cls, count});
    r.groups.push_back(std::move(g));
    run_search(ctx, search_profile, std::move(r), scheduler::VgpuNaming::resource_class, found,
               rejections, explain);
  }
  const auto vgpu_class = state.classes().id_of(std::string(sv::kVgpuClassName));
  const auto trait = state.traits().id_of(sv::trait_for(*ctx.vgpu, *profile));
  if (vgpu_class && trait) {
    search::SearchRequest r = base;
    search::GroupRequest g;
    g.suffix = "1";
    g.same_provider = true;
    g.resources.push_back({*vgpu_class, count});
    g.traits.required_any.push_back({*trait});
    r.groups.push_back(std::move(g));
    run_search(ctx, search_profile, std::move(r), scheduler::VgpuNaming::trait, found, rejections,
               explain);
  }

  // Best first across both searches; a candidate without a vGPU score (not on a managed GPU)
  // after every scored one. stable_sort keeps each search's own order among equals.
  std::stable_sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    const double sa = a.candidate.vgpu_score ? a.candidate.vgpu_score->total : -1;
    const double sb = b.candidate.vgpu_score ? b.candidate.vgpu_score->total : -1;
    return sa > sb;
  });
  if (found.size() > limit) found.resize(limit);

  nlohmann::json candidates = nlohmann::json::array();
  for (const Found& f : found) candidates.push_back(candidate_json(ctx, f, explain));
  nlohmann::json body = {{"profile", ctx.vgpu->catalog.profile(*profile).name},
                         {"count", count},
                         {"candidates", std::move(candidates)}};
  if (explain) {
    nlohmann::json rejected = nlohmann::json::array();
    for (const auto& r : rejections) rejected.push_back(rejection_json(ctx, r));
    body["rejected"] = std::move(rejected);
  }
  return json_response(200, body);
}

}  // namespace

void add_vgpu_candidate_routes(Router& router) {
  router.add({"/vgpu/v1/candidates", "GET", list_candidates});
}

}  // namespace vgpu::api
