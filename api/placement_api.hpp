#pragma once
// The Placement API as one callable: Request in, Response out. The HTTP server calls handle()
// from its worker threads; it is thread-safe and never throws.
#include <memory>
#include <string>

#include "api/http_message.hpp"

namespace vgpu::store {
class Store;
}

namespace vgpu::api {

struct ApiOptions {
  std::string auth_strategy = "noauth2";
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
