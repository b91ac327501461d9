// The listener and the server's lifecycle: bind, accept on a strand per connection, run the
// io_context on N threads, stop gracefully. Connection I/O lives in session.cpp.
#include "service/http/server.hpp"

#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "service/http/session.hpp"

namespace vgpu::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

tcp::endpoint resolve(asio::io_context& ioc, const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (!ec) return {address, port};
  tcp::resolver resolver(ioc);
  const auto results =
      resolver.resolve(host, std::to_string(port), tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    throw std::runtime_error("cannot resolve listen host '" + host + "': " + ec.message());
  }
  return results.begin()->endpoint();
}

std::string authority_of(const std::string& address, std::uint16_t port) {
  const bool v6 = address.find(':') != std::string::npos;
  return (v6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

}  // namespace

std::string Endpoint::authority() const { return authority_of(address, port); }

struct Server::Impl {
  Impl(ServerOptions options, Handler handler, ServerEvents events)
      : shared(std::make_shared<detail::SharedState>(std::move(options), std::move(handler),
                                                     std::move(events))),
        ioc(std::make_unique<asio::io_context>(
            static_cast<int>(std::max(1u, shared->options.workers)))),
        acceptor(std::make_unique<tcp::acceptor>(asio::make_strand(*ioc))) {}

  // Accepts until the acceptor is closed. Each socket gets its own strand, so a connection's
  // steps never run concurrently, while different connections use all worker threads.
  static asio::awaitable<void> accept_loop(Impl* self) {
    for (;;) {
      auto [ec, socket] =
          co_await self->acceptor->async_accept(asio::make_strand(*self->ioc), kNoThrow);
      if (ec == asio::error::operation_aborted || !self->acceptor->is_open()) co_return;
      if (ec) {
        // Typically out of file descriptors: say so and back off instead of spinning.
        self->shared->warn("accept failed: " + ec.message());
        asio::steady_timer pause(self->acceptor->get_executor(), std::chrono::milliseconds(100));
        co_await pause.async_wait(kNoThrow);
        continue;
      }
      // Answers are written whole; Nagle would only hold back the tail of a large one, or a
      // "100 Continue", waiting for the client's delayed ACK (40 ms on Linux).
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      detail::spawn_session(tcp::socket(std::move(socket)), self->shared);
    }
  }

  void run_worker() {
    for (;;) {
      try {
        ioc->run();
        return;
      } catch (const std::exception& e) {
        shared->warn(std::string("worker: ") + e.what());
      }
    }
  }

  // stop() joins the threads, then destroys the acceptor and the io_context (in that order):
  // destroying the io_context destroys the coroutines of connections abandoned after the grace
  // period, which closes their sockets. The shared state outlives them: connections unregister
  // from it as they go.
  std::shared_ptr<detail::SharedState> shared;
  std::unique_ptr<asio::io_context> ioc;
  std::unique_ptr<tcp::acceptor> acceptor;
  tcp::endpoint bound;
  std::vector<std::thread> threads;
  std::mutex lifecycle_mutex;
  bool started = false;
  bool stopped = false;
};

Server::Server(ServerOptions options, Handler handler, ServerEvents events)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(events))) {}

Server::~Server() { stop(); }

void Server::start() {
  std::lock_guard lock(impl_->lifecycle_mutex);
  if (impl_->started) throw std::logic_error("Server::start called twice");
  const auto& options = impl_->shared->options;
  const tcp::endpoint endpoint = resolve(*impl_->ioc, options.host, options.port);
  try {
    auto& acceptor = *impl_->acceptor;
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
    impl_->bound = acceptor.local_endpoint();
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error("cannot listen on " +
                             authority_of(endpoint.address().to_string(), endpoint.port()) +
                             ": " + e.code().message());
  }
  impl_->started = true;
  asio::co_spawn(impl_->acceptor->get_executor(), Impl::accept_loop(impl_.get()),
                 [shared = impl_->shared](std::exception_ptr e) {
                   if (e) shared->warn("the listener stopped on an exception");
                 });
  const unsigned workers = std::max(1u, options.workers);
  for (unsigned i = 0; i < workers; ++i) {
    impl_->threads.emplace_back([impl = impl_.get()] { impl->run_worker(); });
  }
}

Endpoint Server::local_endpoint() const {
  return {impl_->bound.address().to_string(), impl_->bound.port()};
}

void Server::stop() {
  std::lock_guard lock(impl_->lifecycle_mutex);
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  auto& shared = *impl_->shared;
  // Order: flag first, so a connection about to wait for a request sees it; then close the
  // acceptor on its strand; then wake the idle connections.
  shared.stopping.store(true);
  asio::post(impl_->acceptor->get_executor(), [impl = impl_.get()] {
    boost::system::error_code ignored;
    impl->acceptor->close(ignored);
  });
  shared.connections.stop_idle();
  if (!shared.connections.wait_empty_until(std::chrono::steady_clock::now() +
                                           shared.options.stop_grace)) {
    shared.warn("stop: " + std::to_string(shared.connections.size()) +
                " connection(s) still busy after the grace period; abandoning them");
  }
  impl_->ioc->stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
  impl_->acceptor.reset();
  impl_->ioc.reset();
}

}  // namespace vgpu::http
