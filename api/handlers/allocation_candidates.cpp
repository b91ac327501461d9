// GET /allocation_candidates (1.10+): parse (candidate_params), search (scheduler/search),
// write (allocation_candidates_json).
#include "api/handlers/allocation_candidates.hpp"

#include <random>

#include "api/candidate_params.hpp"
#include "api/handler_util.hpp"
#include "api/handlers/allocation_candidates_json.hpp"
#include "api/request_mix_tracker.hpp"
#include "scheduler/search/registry.hpp"
#include "scheduler/search/search.hpp"

namespace vgpu::api {
namespace {

Response list_candidates(Context& ctx) {
  CandidateQuery query = parse_candidate_query(ctx);
  if (ctx.randomize_candidates) {
    query.request.randomize = true;
    query.request.seed = std::random_device{}();
  }
  std::vector<scheduler::search::Candidate> candidates;
  if (!query.empty_result) {
    // Built per request: a dozen small objects, and no shared mutable state between threads.
    // With the vGPU configuration the vGPU rules filter managed GPUs and hosts, and the vGPU
    // score ranks them; a request that touches no managed GPU gets Placement's answer as before.
    const scheduler::search::Profile profile = scheduler::search::build_default_profile(ctx.vgpu);
    const auto mix = ctx.request_mix ? ctx.request_mix->weights() : nullptr;
    query.request.request_mix = mix.get();
    candidates = scheduler::search::CandidateSearch(profile).run(*ctx.state, query.request);
  }
  std::vector<std::string> suffixes;
  for (const auto& g : query.request.groups) suffixes.push_back(g.suffix);
  Response r;
  r.status = 200;
  r.set_header("Content-Type", "application/json");
  r.body = candidates_json(ctx, candidates, query.requested_classes, suffixes);
  set_cache_headers(ctx, r, now_unix());
  return r;
}

}  // namespace

void add_allocation_candidate_routes(Router& router) {
  Route route{"/allocation_candidates", "GET", list_candidates};
  route.min_version = Version{1, 10};
  router.add(std::move(route));
}

}  // namespace vgpu::api
