#pragma once
// The Placement API as one callable: Request in, Response out. The HTTP server calls handle()
// from its worker threads; it is thread-safe and never throws.
#include <memory>
#include <string>

#include "api/http_message.hpp"
#include "api/microversion.hpp"

namespace vgpu::store {
class Store;
}

namespace vgpu::api {

// The highest microversion whose features are all served. Allocations (1.8) are not yet, so
// this stays at 1.7 until they are; the resource-provider routes already honour every version
// up to 1.39, which tests reach through ApiOptions::max_version.
inline constexpr Version kAdvertisedMaxVersion{1, 7};

struct ApiOptions {
  std::string auth_strategy = "noauth2";
  Version max_version = kAdvertisedMaxVersion;  // what GET / and "latest" advertise
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
