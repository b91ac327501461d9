#pragma once
// The query string of a request, decoded, keeping repeated keys in order (member_of and
// required may repeat). Like webob's MultiDict, get() returns the last value of a key.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vgpu::api {

class Query {
 public:
  // Parses "a=1&b=x%20y"; returns false if the percent-encoding is broken or not UTF-8.
  static bool parse(std::string_view text, Query& out);

  const std::string* get(std::string_view key) const;
  std::vector<std::string> get_all(std::string_view key) const;
  bool has(std::string_view key) const { return get(key) != nullptr; }
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// Percent-decoding ('+' is a space in query strings only). nullopt-like: returns false on error.
bool percent_decode(std::string_view in, bool plus_is_space, std::string& out);

}  // namespace vgpu::api
