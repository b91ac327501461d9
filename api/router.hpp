#pragma once
// Routing is a data table: path pattern -> method -> handler, each with the microversions it
// serves. 404 for unknown paths and 405 (with Allow) for unknown methods come from the table.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/context.hpp"
#include "api/http_message.hpp"
#include "api/microversion.hpp"

namespace vgpu::api {

using Handler = std::function<Response(Context&)>;

struct Route {
  std::string pattern;  // "/resource_providers/{uuid}/inventories"
  std::string method;
  Handler handler;
  Version min_version = kMinVersion;
  Version max_version = kMaxSupportedVersion;
  int status_outside_versions = 404;  // upstream answers 405 for a few routes
};

struct RouteMatch {
  enum class Kind { kFound, kNoPath, kNoMethod, kNoVersion } kind = Kind::kNoPath;
  const Route* route = nullptr;
  std::map<std::string, std::string, std::less<>> params;
  std::string allow;        // for kNoMethod: "GET, POST"
  int version_status = 404; // for kNoVersion
};

class Router {
 public:
  void add(Route route);
  RouteMatch match(std::string_view method, std::string_view path, const Version& version) const;

 private:
  static bool match_pattern(std::string_view pattern, std::string_view path,
                            std::map<std::string, std::string, std::less<>>& params);
  std::vector<Route> routes_;
};

}  // namespace vgpu::api
