#pragma once
// Everything a handler needs about one request: the request itself, the negotiated microversion,
// path parameters, decoded query, the caller, and the state snapshot the request works on from
// start to finish.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/http_message.hpp"
#include "api/microversion.hpp"
#include "api/query.hpp"
#include "scheduler/model/state.hpp"
#include "scheduler/vgpu/vgpu_config.hpp"

namespace vgpu::store {
class Store;
}

namespace vgpu::api {

class RequestMixTracker;

struct Caller {
  std::string user_id;
  std::string project_id;
  std::vector<std::string> roles;
};

struct Context {
  const Request& request;
  Version version;
  Version max_version;  // the highest this service advertises
  bool randomize_candidates = false;  // ApiOptions::randomize_allocation_candidates
  std::map<std::string, std::string, std::less<>> params;  // from the route pattern
  Query query;
  Caller caller;
  std::string request_id;
  store::Store& store;
  std::shared_ptr<const scheduler::State> state;
  // Snapshots the request worked on before refresh_snapshot(): handlers still hold references
  // into them (the provider named in the path), so they live until the request ends.
  std::vector<std::shared_ptr<const scheduler::State>> earlier_states;
  // The frozen vGPU configuration (ApiOptions::vgpu); never null inside a handler.
  const scheduler::vgpu::VgpuConfig* vgpu = nullptr;
  // The recent vGPU demand (request_mix_tracker.hpp); null only in tests that build a Context.
  RequestMixTracker* request_mix = nullptr;

  bool at_least(int major, int minor) const { return version >= Version{major, minor}; }
  const std::string& param(std::string_view name) const { return params.find(name)->second; }
};

}  // namespace vgpu::api
