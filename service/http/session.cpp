// One connection: read a request, hand it to the Handler, write the response, repeat while the
// connection is kept alive. Shaped like Beast's awaitable server example: the coroutine owns the
// stream, every read and write has a deadline, transport errors end the connection quietly and
// protocol errors become Placement error bodies.
#include "service/http/session.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "api/errors.hpp"
#include "service/http/request_id.hpp"

namespace vgpu::http::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;  // not `http`: that is our own namespace
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Completion token: errors come back as values, so that the expected ones (end of stream,
// timeouts) are not exceptions.
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// How long a connection we are closing after an error keeps draining what the peer still sends.
constexpr std::chrono::milliseconds kLingerTime{2000};

// Errors of the HTTP grammar (the client's fault, worth a 400) as opposed to the connection ending
// or timing out, where nobody is left to read an answer.
bool is_parse_error(const beast::error_code& ec) {
  static const auto& category = bhttp::make_error_code(bhttp::error::bad_method).category();
  return ec.category() == category && ec != bhttp::error::end_of_stream &&
         ec != bhttp::error::partial_message;
}

// Framing is the server's business: a handler's Content-Length or Connection header would
// contradict what is actually sent.
bool is_framing_header(std::string_view name) {
  return api::iequals(name, "Content-Length") || api::iequals(name, "Transfer-Encoding") ||
         api::iequals(name, "Connection");
}

// An error the server answers itself, with a request id like every Placement response.
api::Response server_error(int status, const std::string& detail) {
  const std::string request_id = new_request_id();
  api::Response r = api::error_response(status, detail, api::code::kUndefined, request_id);
  r.set_header("x-openstack-request-id", request_id);
  return r;
}

bool status_forbids_body(int status) {
  return status / 100 == 1 || status == 204 || status == 304;
}

// What reading one request produced.
enum class Outcome {
  kServe,            // the whole request was read: answer it, possibly keep the connection
  kRefuseThenDrain,  // the body is over the limit: answer 413 at once (a client announcing
                     // 1 GiB should not have to send it first), then discard the rest of the
                     // body so the client is not reset while still sending, then close
  kAnswerAndClose,   // the request could not be parsed: answer `response`, then close
  kDrop,             // the peer went away or timed out: close without a word
};

using Parser = bhttp::request_parser<bhttp::buffer_body>;

struct Incoming {
  api::Request request;
  unsigned version = 11;
  bool keep_alive = false;
  std::optional<api::Response> response;  // set when the server answers instead of the handler
};

class Session {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<SharedState> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {}
  ~Session() {
    if (id_ != 0) shared_->connections.remove(id_);
  }

  // Registers with the server; the callback only holds a weak reference so that a connection
  // being destroyed is simply skipped.
  static void enroll(const std::shared_ptr<Session>& self) {
    std::weak_ptr<Session> weak = self;
    self->id_ = self->shared_->connections.add([weak] {
      if (auto s = weak.lock()) {
        asio::post(s->stream_.get_executor(), [s] {
          if (s->idle_) s->stream_.cancel();
        });
      }
    });
  }

  // Static and taking the shared_ptr by value: the coroutine frame keeps the session alive.
  static asio::awaitable<void> run(std::shared_ptr<Session> self) { co_await self->serve(); }

 private:
  const ServerOptions& options() const { return shared_->options; }

  asio::awaitable<void> serve() {
    for (bool first = true;; first = false) {
      if (!co_await wait_for_request(first)) break;
      const auto started = Clock::now();
      Incoming in;
      Parser parser;
      const Outcome outcome = co_await read_request(parser, in);
      if (outcome == Outcome::kDrop) break;

      api::Response response = in.response ? std::move(*in.response) : call_handler(in.request);
      const int status = response.status;
      const bool keep_alive =
          outcome == Outcome::kServe && in.keep_alive && !shared_->stopping.load();
      const bool ok = co_await write_response(std::move(response), in.request.method == "HEAD",
                                              in.version, keep_alive);
      report(in.request, status, started);
      if (!ok) break;
      if (outcome == Outcome::kRefuseThenDrain) {
        stream_.expires_after(options().read_timeout);
        co_await read_body(parser, nullptr);
        break;
      }
      if (outcome == Outcome::kAnswerAndClose) {
        co_await linger_close();
        co_return;
      }
      if (!keep_alive) break;
    }
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  // Waits for the first bytes of the next request. False: close the connection (peer closed,
  // idle timeout, or the server is stopping).
  asio::awaitable<bool> wait_for_request(bool first) {
    if (buffer_.size() > 0) co_return true;  // pipelined: the next request is already here
    // Checked and the read started in the same strand turn, so stop_idle() cannot slip between.
    if (shared_->stopping.load()) co_return false;
    idle_ = true;
    stream_.expires_after(first ? options().read_timeout : options().idle_timeout);
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(chunk_.size()), kNoThrow);
    idle_ = false;
    if (ec) co_return false;
    buffer_.commit(n);
    co_return true;
  }

  asio::awaitable<Outcome> read_request(Parser& parser, Incoming& in) {
    // No parser body limit: read_body() enforces max_body_bytes itself, so that the rest of an
    // oversized body can still be read and discarded after the 413.
    parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
        options().max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    parser.body_limit(boost::none);
    stream_.expires_after(options().read_timeout);  // covers the whole request, head and body

    auto [ec, n] = co_await bhttp::async_read_header(stream_, buffer_, parser, kNoThrow);
    const auto& head = parser.get();
    in.request.method = std::string(head.method_string());
    in.request.target = std::string(head.target());
    if (ec == bhttp::error::header_limit) {
      in.response = server_error(431, "The request head is larger than the limit of " +
                                          std::to_string(options().max_header_bytes) + " bytes.");
      co_return Outcome::kAnswerAndClose;
    }
    if (ec) co_return reject_or_drop(ec, in);

    in.version = head.version();
    in.keep_alive = head.keep_alive();
    for (const auto& field : head) {
      in.request.headers.push_back(
          {std::string(field.name_string()), std::string(field.value())});
    }
    const auto declared = parser.content_length();
    if (declared && *declared > options().max_body_bytes) {
      in.response = body_too_large();
      co_return Outcome::kRefuseThenDrain;  // no "100 Continue": the client need not send it
    }
    if (!parser.is_done() && head.version() >= 11 && expects_continue(head)) {
      bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, head.version()};
      auto [wec, wn] = co_await bhttp::async_write(stream_, go_on, kNoThrow);
      if (wec) co_return Outcome::kDrop;
    }
    const BodyRead body = co_await read_body(parser, &in.request.body);
    if (body.ec) co_return reject_or_drop(body.ec, in);
    if (body.over_limit) {  // chunked: the length was not known in advance
      std::string().swap(in.request.body);
      in.response = body_too_large();
      co_return Outcome::kRefuseThenDrain;
    }
    co_return Outcome::kServe;
  }

  struct BodyRead {
    beast::error_code ec;
    bool over_limit = false;
  };

  // Reads the body to its end. With `keep`, appends it there and stops early, with over_limit,
  // where it would exceed max_body_bytes; without, discards it all.
  asio::awaitable<BodyRead> read_body(Parser& parser, std::string* keep) {
    while (!parser.is_done()) {
      parser.get().body().data = chunk_.data();
      parser.get().body().size = chunk_.size();
      auto [ec, n] = co_await bhttp::async_read(stream_, buffer_, parser, kNoThrow);
      if (ec == bhttp::error::need_buffer) ec = {};  // chunk_ is full: normal
      if (ec) co_return BodyRead{ec};
      const std::size_t got = chunk_.size() - parser.get().body().size;
      if (keep == nullptr) continue;
      if (keep->size() + got > options().max_body_bytes) co_return BodyRead{{}, true};
      keep->append(chunk_.data(), got);
    }
    co_return BodyRead{};
  }

  api::Response body_too_large() const {
    return server_error(413, "The request body is larger than the limit of " +
                                        std::to_string(options().max_body_bytes) + " bytes.");
  }

  static bool expects_continue(const bhttp::request<bhttp::buffer_body>& head) {
    const auto it = head.find(bhttp::field::expect);
    return it != head.end() && beast::iequals(it->value(), "100-continue");
  }

  static Outcome reject_or_drop(const beast::error_code& ec, Incoming& in) {
    if (!is_parse_error(ec)) return Outcome::kDrop;
    // Upstream Placement's own wording for the one case its handler checks itself.
    const std::string detail = ec == bhttp::error::bad_content_length
                                   ? std::string("content-length header must be an integer")
                                   : "Malformed HTTP request: " + ec.message() + ".";
    in.response = server_error(400, detail);
    return Outcome::kAnswerAndClose;
  }

  api::Response call_handler(const api::Request& request) const {
    try {
      return shared_->handler(request);
    } catch (const std::exception& e) {
      shared_->warn("handler threw for " + request.method + " " + request.target + ": " +
                    e.what());
    } catch (...) {
      shared_->warn("handler threw a non-exception for " + request.method + " " +
                    request.target);
    }
    return server_error(500, "An unexpected error prevented the server from fulfilling your "
                             "request.");
  }

  // False when the connection failed while writing.
  asio::awaitable<bool> write_response(api::Response&& response, bool head_request,
                                       unsigned version, bool keep_alive) {
    stream_.expires_after(options().read_timeout);
    beast::error_code ec;
    if (status_forbids_body(response.status)) {
      auto message = head_of<bhttp::empty_body>(response, version, keep_alive);
      std::tie(ec, std::ignore) = co_await bhttp::async_write(stream_, message, kNoThrow);
    } else if (head_request) {
      // HEAD: the head a GET would get, announcing the GET body's length, and no body.
      auto message = head_of<bhttp::empty_body>(response, version, keep_alive);
      const std::string* length = response.header("Content-Length");
      if (length && response.body.empty()) {
        message.set(bhttp::field::content_length, *length);
      } else {
        message.content_length(response.body.size());
      }
      std::tie(ec, std::ignore) = co_await bhttp::async_write(stream_, message, kNoThrow);
    } else {
      auto message = head_of<bhttp::string_body>(response, version, keep_alive);
      message.content_length(response.body.size());
      message.body() = std::move(response.body);
      std::tie(ec, std::ignore) = co_await bhttp::async_write(stream_, message, kNoThrow);
    }
    co_return !ec;
  }

  template <class Body>
  static bhttp::response<Body> head_of(const api::Response& response, unsigned version,
                                       bool keep_alive) {
    bhttp::response<Body> message;
    message.version(version);
    message.result(static_cast<unsigned>(response.status));
    for (const auto& h : response.headers) {
      if (!is_framing_header(h.name)) message.insert(h.name, h.value);
    }
    message.keep_alive(keep_alive);
    return message;
  }

  // After an error answer on a request we could not read to its end: stop sending, then read and
  // drop whatever the peer still sends for a little while. Closing with unread input would make
  // the kernel reset the connection, and the peer could lose our answer.
  asio::awaitable<void> linger_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::min<std::chrono::milliseconds>(options().read_timeout, kLingerTime));
    for (;;) {
      auto [ec, n] = co_await stream_.async_read_some(asio::buffer(chunk_), kNoThrow);
      if (ec) break;
    }
    stream_.socket().close(ignored);
  }

  void report(const api::Request& request, int status, Clock::time_point started) const {
    if (!shared_->events.exchange) return;
    Exchange e;
    e.method = request.method.empty() ? std::string_view("-") : request.method;
    e.target = request.target.empty() ? std::string_view("-") : request.target;
    e.status = status;
    e.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
    shared_->events.exchange(e);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<SharedState> shared_;
  std::array<char, 16 * 1024> chunk_{};  // body bytes land here before being kept or dropped
  bool idle_ = false;                    // waiting for a request; touched on the strand only
  ConnectionRegistry::Id id_ = 0;
};

}  // namespace

void spawn_session(tcp::socket&& socket, std::shared_ptr<SharedState> shared) {
  const auto executor = socket.get_executor();
  auto session = std::make_shared<Session>(std::move(socket), shared);
  Session::enroll(session);
  asio::co_spawn(executor, Session::run(std::move(session)),
                 [shared = std::move(shared)](std::exception_ptr e) {
                   if (!e) return;
                   try {
                     std::rethrow_exception(e);
                   } catch (const std::exception& ex) {
                     shared->warn(std::string("connection failed: ") + ex.what());
                   } catch (...) {
                     shared->warn("connection failed");
                   }
                 });
}

}  // namespace vgpu::http::detail
