#include "api/router.hpp"

namespace vgpu::api {

void Router::add(Route route) { routes_.push_back(std::move(route)); }

bool Router::match_pattern(std::string_view pattern, std::string_view path,
                           std::map<std::string, std::string, std::less<>>& params) {
  params.clear();
  std::size_t pi = 0, si = 0;
  while (pi < pattern.size()) {
    if (pattern[pi] == '{') {
      const auto close = pattern.find('}', pi);
      const std::string name(pattern.substr(pi + 1, close - pi - 1));
      const auto end = path.find('/', si);
      const std::string_view value = path.substr(si, end == std::string_view::npos ? end : end - si);
      if (value.empty()) return false;
      params[name] = std::string(value);
      si += value.size();
      pi = close + 1;
    } else {
      if (si >= path.size() || path[si] != pattern[pi]) return false;
      ++si;
      ++pi;
    }
  }
  return si == path.size();
}

RouteMatch Router::match(std::string_view method, std::string_view path,
                         const Version& version) const {
  RouteMatch out;
  std::map<std::string, std::string, std::less<>> params;
  std::string matched_pattern;
  std::vector<std::string> methods;
  for (const Route& r : routes_) {
    if (!matched_pattern.empty() && r.pattern != matched_pattern) continue;
    if (matched_pattern.empty()) {
      if (!match_pattern(r.pattern, path, params)) continue;
      matched_pattern = r.pattern;
      out.params = params;
    }
    bool listed = false;
    for (const auto& m : methods) listed = listed || m == r.method;
    if (!listed) methods.push_back(r.method);
    if (r.method != method) continue;
    if (version < r.min_version || version > r.max_version) {
      // Another entry for the same method may serve this version.
      if (out.kind != RouteMatch::Kind::kFound) {
        out.kind = RouteMatch::Kind::kNoVersion;
        out.version_status = r.status_outside_versions;
      }
      continue;
    }
    out.kind = RouteMatch::Kind::kFound;
    out.route = &r;
  }
  if (matched_pattern.empty()) {
    out.kind = RouteMatch::Kind::kNoPath;
  } else if (out.kind == RouteMatch::Kind::kNoPath) {
    out.kind = RouteMatch::Kind::kNoMethod;
    for (const auto& m : methods) out.allow += (out.allow.empty() ? "" : ", ") + m;
  }
  return out;
}

}  // namespace vgpu::api
