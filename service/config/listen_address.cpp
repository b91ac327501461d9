#include "service/config/listen_address.hpp"

#include <cctype>
#include <charconv>
#include <stdexcept>
#include <string>

namespace vgpu::config {
namespace {

std::uint16_t parse_port(std::string_view text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > 65535) {
    throw std::invalid_argument("port must be a number from 0 to 65535, got '" +
                                std::string(text) + "'");
  }
  return static_cast<std::uint16_t>(value);
}

bool all_of(std::string_view s, bool (*ok)(unsigned char)) {
  for (unsigned char c : s) {
    if (!ok(c)) return false;
  }
  return true;
}

}  // namespace

std::string ListenAddress::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

ListenAddress parse_listen_address(std::string_view text) {
  const std::string shown(text);
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      throw std::invalid_argument("expected [IPV6]:PORT, got '" + shown + "'");
    }
    const auto host = text.substr(1, close - 1);
    const bool v6_chars = all_of(host, [](unsigned char c) {
      return std::isxdigit(c) || c == ':' || c == '.' || c == '%' || std::isalnum(c);
    });
    if (host.find(':') == std::string_view::npos || !v6_chars) {
      throw std::invalid_argument("'" + std::string(host) + "' is not an IPv6 address");
    }
    return {std::string(host), parse_port(text.substr(close + 2))};
  }
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    throw std::invalid_argument("expected HOST:PORT, got '" + shown + "'");
  }
  const auto host = text.substr(0, colon);
  if (host.find(':') != std::string_view::npos) {
    throw std::invalid_argument("put an IPv6 address in brackets, as in [::1]:8778; got '" +
                                shown + "'");
  }
  const bool host_chars = all_of(
      host, [](unsigned char c) { return std::isalnum(c) || c == '.' || c == '-' || c == '_'; });
  if (host.empty() || !host_chars) {
    throw std::invalid_argument("expected HOST:PORT with a host name or IP address, got '" +
                                shown + "'");
  }
  return {std::string(host), parse_port(text.substr(colon + 1))};
}

}  // namespace vgpu::config
