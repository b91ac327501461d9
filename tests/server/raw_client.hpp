#pragma once
// A deliberately small HTTP/1.1 client over plain POSIX sockets, so that tests control every byte
// (malformed requests, HEAD framing, what happens after an error) and see resets as resets.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace vgpu::test {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  bool has_header(const std::string& lower_name) const { return headers.count(lower_name) > 0; }
};

// "METHOD target HTTP/1.1" with Host, Content-Length when there is a body, and `extra_headers`
// ("Name: value\r\n" lines).
std::string make_request(std::string_view method, std::string_view target,
                         std::string_view body = {}, std::string_view extra_headers = {});

class RawClient {
 public:
  RawClient(const std::string& ipv4, std::uint16_t port);
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  void send(std::string_view bytes);  // all of it, or throws
  // Reads one response. A HEAD response and 1xx/204/304 have no body whatever Content-Length
  // says. Throws std::runtime_error on timeout, reset or a premature end.
  RawResponse read_response(bool head_request = false);
  RawResponse roundtrip(std::string_view request, bool head_request = false) {
    send(request);
    return read_response(head_request);
  }

  enum class End { kEof, kReset, kData, kTimeout };
  // What the connection does next, within `wait`: orderly close, reset, more bytes, nothing.
  End next_event(std::chrono::milliseconds wait);

 private:
  void fill(std::chrono::milliseconds wait);  // reads more into buffer_, throws on EOF/reset/timeout
  std::string read_line();

  int fd_ = -1;
  std::string buffer_;
};

}  // namespace vgpu::test
