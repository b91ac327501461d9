#pragma once
// The HTTP/1.1 server: accepts connections, reads requests, hands each one to a Handler as a plain
// api::Request and writes back the api::Response. It knows nothing of Placement; main wires it to
// PlacementApi. No Beast or Asio type appears here so that including this header stays cheap.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/http_message.hpp"

namespace vgpu::http {

struct ServerOptions {
  std::string host = "127.0.0.1";  // IP literal or a name resolved once at start()
  std::uint16_t port = 8778;       // 0: the OS picks a free port, see Server::local_endpoint()
  unsigned workers = 1;            // threads running the io_context (and so the handler)
  // A larger body is answered with 413 as soon as that is known (from Content-Length, or when
  // a chunked body crosses it); the rest of the body is then read and discarded before closing,
  // so that a client still sending is not reset.
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_header_bytes = 16 << 10; // larger request heads are answered with 431
  // Once a request has started, all of it must arrive within this time; also bounds each write.
  std::chrono::milliseconds read_timeout{std::chrono::seconds(30)};
  // How long a keep-alive connection may wait for its next request before it is closed.
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
  // stop() waits this long for in-flight requests before abandoning them.
  std::chrono::milliseconds stop_grace{std::chrono::seconds(10)};
};

// Called from worker threads, concurrently: must be thread-safe. Should not throw; if it does the
// client gets a 500 error body.
using Handler = std::function<api::Response(const api::Request&)>;

// One answered request, for the access log.
struct Exchange {
  std::string_view method;
  std::string_view target;
  int status = 0;
  std::chrono::microseconds elapsed{};  // from the first byte of the request to the last byte sent
};

// Optional observers; both are called from worker threads.
struct ServerEvents {
  std::function<void(const Exchange&)> exchange;
  std::function<void(std::string_view message)> warning;  // accept errors, handler exceptions
};

struct Endpoint {
  std::string address;  // "127.0.0.1", "::1"
  std::uint16_t port = 0;
  // "127.0.0.1:8778" or "[::1]:8778", ready to put after "http://".
  std::string authority() const;
};

class Server {
 public:
  Server(ServerOptions options, Handler handler, ServerEvents events = {});
  ~Server();  // stop()s if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the worker threads; returns at once. Throws std::runtime_error
  // when the address cannot be resolved or bound.
  void start();
  // The bound address (useful with port 0). Valid after start().
  Endpoint local_endpoint() const;
  // Stops accepting, closes idle connections, lets requests in flight finish (at most
  // stop_grace), then stops the threads. Returns when they are joined. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vgpu::http
