// The HTTP server over real loopback sockets, with lambda handlers (no PlacementApi).
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "api/errors.hpp"
#include "raw_client.hpp"
#include "service/http/server.hpp"

using namespace std::chrono_literals;
using vgpu::api::Request;
using vgpu::api::Response;
using vgpu::http::Server;
using vgpu::http::ServerOptions;
using vgpu::test::make_request;
using vgpu::test::RawClient;

namespace {

ServerOptions test_options() {
  ServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.workers = 2;
  o.max_body_bytes = 1024;
  o.max_header_bytes = 2048;
  o.read_timeout = 5s;
  o.idle_timeout = 5s;
  o.stop_grace = 5s;
  return o;
}

// Answers "METHOD target\nbody" so tests see what the handler saw.
Response echo(const Request& r) {
  Response out;
  out.set_header("Content-Type", "text/plain");
  if (const auto* v = r.header("X-Test")) out.set_header("X-Test-Seen", *v);
  out.body = r.method + " " + r.target + "\n" + r.body;
  return out;
}

struct RunningServer {
  explicit RunningServer(vgpu::http::Handler handler, ServerOptions options = test_options())
      : server(options, std::move(handler)) {
    server.start();
  }
  std::uint16_t port() const { return server.local_endpoint().port; }
  Server server;
};

}  // namespace

SCENARIO("the server binds port 0 and reports the port the OS picked", "[http]") {
  RunningServer s(echo);
  CHECK(s.port() != 0);
  CHECK(s.server.local_endpoint().address == "127.0.0.1");
  CHECK(s.server.local_endpoint().authority() == "127.0.0.1:" + std::to_string(s.port()));
}

SCENARIO("a keep-alive connection carries several requests", "[http]") {
  RunningServer s(echo);
  RawClient c("127.0.0.1", s.port());
  WHEN("two requests are sent one after the other on one connection") {
    const auto first = c.roundtrip(make_request("GET", "/a%20b?x=1&y=%2F", {}, "X-Test: one\r\n"));
    const auto second = c.roundtrip(make_request("PUT", "/second", "payload"));
    THEN("both are answered, the target and headers reach the handler verbatim") {
      CHECK(first.status == 200);
      CHECK(first.body == "GET /a%20b?x=1&y=%2F\n");
      CHECK(first.headers.at("x-test-seen") == "one");
      CHECK(first.headers.at("content-length") == std::to_string(first.body.size()));
      CHECK_FALSE(first.has_header("connection"));
      CHECK(second.status == 200);
      CHECK(second.body == "PUT /second\npayload");
    }
  }
  WHEN("two requests are pipelined in one write") {
    c.send(make_request("GET", "/one") + make_request("GET", "/two"));
    const auto one = c.read_response();
    const auto two = c.read_response();
    THEN("they are answered in order") {
      CHECK(one.body == "GET /one\n");
      CHECK(two.body == "GET /two\n");
    }
  }
  WHEN("the client asks to close") {
    const auto r = c.roundtrip(make_request("GET", "/", {}, "Connection: close\r\n"));
    THEN("the server answers and closes in order, without a reset") {
      CHECK(r.status == 200);
      CHECK(r.headers.at("connection") == "close");
      CHECK(c.next_event(2s) == RawClient::End::kEof);
    }
  }
}

SCENARIO("a body over the limit gets 413, and the client is not reset", "[http]") {
  std::atomic<int> calls{0};
  RunningServer s([&](const Request& r) {
    ++calls;
    return echo(r);
  });
  RawClient c("127.0.0.1", s.port());
  WHEN("the whole oversized body is sent before the client reads") {
    // 16 MiB: far more than loopback socket buffers hold, so the send only completes if the
    // server keeps reading after its 413; had it closed instead, the send would fail (reset).
    const std::string big(16 * 1024 * 1024, 'x');
    const auto r = c.roundtrip(make_request("POST", "/resource_providers", big));
    THEN("the client reads a Placement 413 error; the handler is not called") {
      CHECK(r.status == 413);
      CHECK(r.headers.at("content-type") == "application/json");
      CHECK(r.headers.at("connection") == "close");
      CHECK(r.body.find("\"status\":413") != std::string::npos);
      CHECK(r.body.find("1024 bytes") != std::string::npos);
      CHECK(calls == 0);
    }
    AND_THEN("the server read the whole body and then closed in order, without a reset") {
      CHECK(c.next_event(3s) == RawClient::End::kEof);
    }
  }
  WHEN("a huge length is announced but the body is not sent") {
    c.send("PUT /x HTTP/1.1\r\nHost: h\r\nContent-Length: 1073741824\r\n\r\n{\"partial\":");
    const auto started = std::chrono::steady_clock::now();
    const auto r = c.read_response();
    THEN("413 comes at once, without waiting for the body") {
      CHECK(r.status == 413);
      CHECK(std::chrono::steady_clock::now() - started < 2s);
      CHECK(calls == 0);
    }
  }
  WHEN("the body is sent chunked, length unknown in advance") {
    std::string chunked;
    for (int i = 0; i < 64; ++i) chunked += "1000\r\n" + std::string(4096, 'y') + "\r\n";
    chunked += "0\r\n\r\n";
    const auto r = c.roundtrip(make_request("PUT", "/x", {}, "Transfer-Encoding: chunked\r\n") +
                               chunked);
    THEN("it is refused the same way once it crosses the limit, and the rest is drained") {
      CHECK(r.status == 413);
      CHECK(c.next_event(3s) == RawClient::End::kEof);
      CHECK(calls == 0);
    }
  }
  WHEN("an oversized body is announced with Expect: 100-continue") {
    c.send("PUT /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
    THEN("the final 413 comes instead of 100 Continue") { CHECK(c.read_response().status == 413); }
  }
  WHEN("a body of exactly the limit is sent") {
    const auto r = c.roundtrip(make_request("POST", "/x", std::string(1024, 'z')));
    THEN("it is accepted and the connection stays open") {
      CHECK(r.status == 200);
      CHECK(r.body.size() == std::string("POST /x\n").size() + 1024);
      CHECK(c.roundtrip(make_request("GET", "/after")).status == 200);
    }
  }
}

SCENARIO("a request head over the limit gets 431 and the connection closes cleanly", "[http]") {
  RunningServer s(echo);
  RawClient c("127.0.0.1", s.port());
  const std::string huge = "X-Huge: " + std::string(4096, 'h') + "\r\n";
  const auto r = c.roundtrip(make_request("GET", "/", {}, huge));
  CHECK(r.status == 431);
  CHECK(r.body.find("\"status\":431") != std::string::npos);
  CHECK(r.headers.at("connection") == "close");
  CHECK(c.next_event(3s) == RawClient::End::kEof);
}

SCENARIO("a malformed request gets 400 and the connection closes cleanly", "[http]") {
  RunningServer s(echo);
  RawClient c("127.0.0.1", s.port());
  const auto r = c.roundtrip("THIS IS NOT HTTP\r\n\r\n");
  CHECK(r.status == 400);
  CHECK(r.body.find("\"status\":400") != std::string::npos);
  // Placement's request id: in the header and in the error body.
  const std::string& id = r.headers.at("x-openstack-request-id");
  CHECK(id.size() == 40);
  CHECK(id.rfind("req-", 0) == 0);
  CHECK(r.body.find(id) != std::string::npos);
  CHECK(c.next_event(3s) == RawClient::End::kEof);
}

SCENARIO("HEAD gets the GET head and no body", "[http]") {
  std::vector<std::string> methods;
  std::mutex mutex;
  RunningServer s([&](const Request& r) {
    std::lock_guard lock(mutex);
    methods.push_back(r.method);
    Response out;
    out.body = "hello";  // the handler answers HEAD like GET; the server drops the body
    return out;
  });
  RawClient c("127.0.0.1", s.port());
  const auto head = c.roundtrip(make_request("HEAD", "/"), /*head_request=*/true);
  CHECK(head.status == 200);
  CHECK(head.headers.at("content-length") == "5");
  // Had the server sent "hello", this next response would not parse.
  const auto get = c.roundtrip(make_request("GET", "/"));
  CHECK(get.body == "hello");
  CHECK(methods == std::vector<std::string>{"HEAD", "GET"});
}

SCENARIO("statuses without a body are framed without one", "[http]") {
  RunningServer s([](const Request&) {
    Response out;
    out.status = 204;
    out.body = "ignored";
    return out;
  });
  RawClient c("127.0.0.1", s.port());
  const auto r = c.roundtrip(make_request("DELETE", "/resource_providers/x"));
  CHECK(r.status == 204);
  CHECK_FALSE(r.has_header("content-length"));
  CHECK(c.roundtrip(make_request("DELETE", "/again")).status == 204);
}

SCENARIO("a handler that throws produces a 500 error body", "[http]") {
  RunningServer s([](const Request&) -> Response { throw std::runtime_error("boom"); });
  RawClient c("127.0.0.1", s.port());
  const auto r = c.roundtrip(make_request("GET", "/"));
  CHECK(r.status == 500);
  CHECK(r.body.find("\"status\":500") != std::string::npos);
  CHECK(r.body.find("boom") == std::string::npos);  // internals stay in the log
  CHECK(c.roundtrip(make_request("GET", "/")).status == 500);  // connection survives
}

SCENARIO("Expect: 100-continue gets an interim 100 before the body is sent", "[http]") {
  RunningServer s(echo);
  RawClient c("127.0.0.1", s.port());
  c.send("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  CHECK(c.read_response().status == 100);
  c.send("data");
  const auto r = c.read_response();
  CHECK(r.status == 200);
  CHECK(r.body == "POST /x\ndata");
}

SCENARIO("an idle keep-alive connection is closed quietly after the idle timeout", "[http]") {
  auto options = test_options();
  options.idle_timeout = 200ms;
  RunningServer s(echo, options);
  RawClient c("127.0.0.1", s.port());
  CHECK(c.roundtrip(make_request("GET", "/")).status == 200);
  CHECK(c.next_event(3s) == RawClient::End::kEof);
}

SCENARIO("requests from several threads are served concurrently", "[http]") {
  std::atomic<int> in_handler{0};
  std::atomic<int> max_in_handler{0};
  auto options = test_options();
  options.workers = 4;
  RunningServer s(
      [&](const Request& r) {
        const int now = ++in_handler;
        int seen = max_in_handler.load();
        while (now > seen && !max_in_handler.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(5ms);
        --in_handler;
        return echo(r);
      },
      options);
  constexpr int kThreads = 8;
  constexpr int kRequests = 20;
  std::vector<std::future<int>> results;
  for (int t = 0; t < kThreads; ++t) {
    results.push_back(std::async(std::launch::async, [&, t] {
      RawClient c("127.0.0.1", s.port());
      int ok = 0;
      for (int i = 0; i < kRequests; ++i) {
        const std::string target = "/t" + std::to_string(t) + "/" + std::to_string(i);
        const auto r = c.roundtrip(make_request("GET", target));
        ok += (r.status == 200 && r.body == "GET " + target + "\n") ? 1 : 0;
      }
      return ok;
    }));
  }
  int total = 0;
  for (auto& f : results) total += f.get();
  CHECK(total == kThreads * kRequests);
  CHECK(max_in_handler > 1);  // more than one handler ran at the same time
}

SCENARIO("stop() lets a request in flight finish, closes idle connections, refuses new ones",
         "[http]") {
  std::promise<void> entered;
  auto options = test_options();
  RunningServer s(
      [&](const Request& r) {
        if (r.target == "/slow") {
          entered.set_value();
          std::this_thread::sleep_for(500ms);
        }
        return echo(r);
      },
      options);
  const auto port = s.port();
  RawClient idle("127.0.0.1", port);
  CHECK(idle.roundtrip(make_request("GET", "/warm-up")).status == 200);

  auto slow = std::async(std::launch::async, [port] {
    RawClient c("127.0.0.1", port);
    return c.roundtrip(make_request("GET", "/slow"));
  });
  entered.get_future().wait();
  const auto before_stop = std::chrono::steady_clock::now();
  s.server.stop();
  const auto stop_took = std::chrono::steady_clock::now() - before_stop;

  const auto r = slow.get();
  CHECK(r.status == 200);
  CHECK(r.body == "GET /slow\n");
  CHECK(r.headers.at("connection") == "close");  // no keep-alive while stopping
  CHECK(stop_took >= 300ms);                      // it waited for the slow request...
  CHECK(stop_took < options.stop_grace);          // ...but not for the idle connection
  CHECK(idle.next_event(1s) == RawClient::End::kEof);
  CHECK_THROWS(RawClient("127.0.0.1", port));  // no longer accepting
}

SCENARIO("stop() gives up on a request that outlives the grace period", "[http]") {
  auto options = test_options();
  options.stop_grace = 100ms;
  std::promise<void> entered;
  RunningServer s(
      [&](const Request& r) {
        entered.set_value();
        std::this_thread::sleep_for(600ms);
        return echo(r);
      },
      options);
  const auto port = s.port();
  auto slow = std::async(std::launch::async, [port] {
    RawClient c("127.0.0.1", port);
    c.send(make_request("GET", "/very-slow"));
    return c.next_event(5s);
  });
  entered.get_future().wait();
  s.server.stop();  // returns once the handler returns; the response is not written
  CHECK(slow.get() != RawClient::End::kTimeout);
}
