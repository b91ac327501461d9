#pragma once
// The Placement API as one callable: Request in, Response out. The HTTP server calls handle()
// from its worker threads; it is thread-safe and never throws.
#include <memory>
#include <string>

#include "api/cors.hpp"
#include "api/http_message.hpp"
#include "api/microversion.hpp"
#include "scheduler/vgpu/vgpu_config.hpp"

namespace vgpu::store {
class Store;
}

namespace vgpu::api {

// The highest microversion whose features are all served: every Placement 8.0.0 (Zed) feature
// through 1.39 is. Lower it with --max-microversion to mimic an older Placement.
inline constexpr Version kAdvertisedMaxVersion{1, 39};

struct ApiOptions {
  std::string auth_strategy = "noauth2";
  Version max_version = kAdvertisedMaxVersion;  // what GET / and "latest" advertise
  CorsOptions cors;                              // off unless cors.allowed_origins is set
  // Upstream's [placement] randomize_allocation_candidates: candidates in random order instead
  // of the ranked one (spreads claims when many schedulers ask at once).
  bool randomize_allocation_candidates = false;
  // The vGPU catalog, name mappings, weights and licence counting, built and validated at
  // start-up (service/config/vgpu_settings.hpp). Null: the shipped catalog with default options.
  std::shared_ptr<const scheduler::vgpu::VgpuConfig> vgpu;
};

class PlacementApi {
 public:
  PlacementApi(store::Store& store, ApiOptions options);
  ~PlacementApi();
  Response handle(const Request& request) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vgpu::api
