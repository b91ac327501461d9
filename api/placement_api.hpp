#pragma once
// The Placement API as one callable: Request in, Response out. The HTTP server calls handle()
// from its worker threads; it is thread-safe and never throws.
#include <memory>
#include <string>

#include "api/cors.hpp"
#include "api/http_message.hpp"
#include "api/microversion.hpp"

namespace vgpu::store {
class Store;
}

namespace vgpu::api {

// The highest microversion whose features are all served: 1.10 adds allocation candidates,
// which are not yet. Every route we serve honours every version up to 1.39; tests and the
// conformance runner reach those through ApiOptions::max_version (--max-microversion).
inline constexpr Version kAdvertisedMaxVersion{1, 9};

struct ApiOptions {
  std::string auth_strategy = "noauth2";
  Version max_version = kAdvertisedMaxVersion;  // what GET / and "latest" advertise
  CorsOptions cors;                              // off unless cors.allowed_origins is set
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
