#pragma once
// Internal to vgpu_http (included by server.cpp and session.cpp only): what the listener shares
// with every connection, and the call that starts serving one accepted socket.
#include <atomic>
#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include "service/http/connection_registry.hpp"
#include "service/http/server.hpp"

namespace vgpu::http::detail {

// Built once by the Server, read-only afterwards except for `stopping` and the registry.
struct SharedState {
  SharedState(ServerOptions o, Handler h, ServerEvents e)
      : options(std::move(o)), handler(std::move(h)), events(std::move(e)) {}
  const ServerOptions options;
  const Handler handler;
  const ServerEvents events;
  std::atomic<bool> stopping{false};  // no new requests: idle connections close, busy ones finish
  ConnectionRegistry connections;

  void warn(std::string_view message) const {
    if (events.warning) events.warning(message);
  }
};

// Serves requests on `socket` until the peer closes, a timeout, a fatal error or stop. The socket's
// executor must be a strand: everything the connection does runs on it. Registers the connection
// in shared->connections before returning, so that stop() sees it.
void spawn_session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<SharedState> shared);

}  // namespace vgpu::http::detail
