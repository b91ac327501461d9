#pragma once
// HTTP requests and responses as api/ sees them: plain values, no sockets and no Beast types, so
// that handlers can be tested in-process and the server is the only place that knows the wire.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vgpu::api {

struct Header {
  std::string name;   // as received; compared case-insensitively
  std::string value;
};

struct Request {
  std::string method;  // "GET", "PUT", ...
  std::string target;  // path and query string, still percent-encoded: "/resource_providers?name=x"
  std::vector<Header> headers;
  std::string body;

  // The first header with this name (case-insensitive), or nullptr.
  const std::string* header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<Header> headers;
  std::string body;

  void set_header(std::string name, std::string value);
  const std::string* header(std::string_view name) const;
};

bool iequals(std::string_view a, std::string_view b);

}  // namespace vgpu::api
