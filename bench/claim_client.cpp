// claim_client — the load generator of the claims benchmark (bench/bench_driver.py runs it).
//
// Why C++: the server, PostgreSQL and the load generator share the same 2 cores. Python clients
// (even with raw sockets) spent more CPU per claim than the server did, so the figure measured
// the client. This one costs a few microseconds per request.
//
// Usage: claim_client HOST PORT MICROVERSION CLIENTS INPUT OUTPUT
//   INPUT: one claim per line: "<consumer uuid> <JSON body on one line>"
//   OUTPUT: one line per claim, in input order: "<consumer uuid> <status> <latency seconds>"
//           then, for refused claims, up to 3 lines "# <status> <first 300 bytes of body>"
// CLIENTS threads, each with one persistent HTTP/1.1 connection (reopened when the server
// answers "Connection: close", as upstream's uwsgi does), take the next claim from a shared index.
// Exit code 0 when every claim got an HTTP answer, 1 otherwise.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Claim {
  std::string consumer;
  std::string request;  // the whole HTTP request, built before the clock starts
  int status = -1;
  double seconds = 0;
  std::string error;
};

class Connection {
 public:
  Connection(const std::string& host, const std::string& port) : host_(host), port_(port) {}
  ~Connection() { close_socket(); }

  // Sends one request and reads the answer; reconnects once when a kept-alive connection was
  // closed by the server in between. Returns the status, or -1 with `error` set.
  int exchange(const std::string& request, std::string& body, std::string& error) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (fd_ < 0 && !connect_socket(error)) return -1;
      if (send_all(request) && read_response(body)) return status_;
      close_socket();
      if (attempt == 1 || !reused_) break;
    }
    error = "connection failed";
    return -1;
  }

 private:
  bool connect_socket(std::string& error) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (getaddrinfo(host_.c_str(), port_.c_str(), &hints, &res) != 0 || !res) {
      error = "cannot resolve " + host_;
      return false;
    }
    fd_ = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (fd_ >= 0 && connect(fd_, res->ai_addr, res->ai_addrlen) != 0) close_socket();
    freeaddrinfo(res);
    if (fd_ < 0) {
      error = std::string("connect: ") + std::strerror(errno);
      return false;
    }
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    buf_.clear();
    reused_ = false;
    return true;
  }

  void close_socket() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  bool send_all(const std::string& data) {
    std::size_t off = 0;
    while (off < data.size()) {
      ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    return true;
  }

  bool fill() {
    char tmp[65536];
    ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<std::size_t>(n));
    return true;
  }

  static bool header_is(const std::string& line, const char* name) {
    const std::size_t len = std::strlen(name);
    if (line.size() < len + 1 || line[len] != ':') return false;
    for (std::size_t i = 0; i < len; ++i)
      if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
    return true;
  }

  bool read_response(std::string& body) {
    std::size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
      if (!fill()) return false;
    const std::string head = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    status_ = -1;
    std::size_t length = 0;
    bool close = false;
    std::size_t pos = 0;
    bool first = true;
    while (pos <= head.size()) {
      std::size_t eol = head.find("\r\n", pos);
      if (eol == std::string::npos) eol = head.size();
      const std::string line = head.substr(pos, eol - pos);
      if (first) {
        const std::size_t sp = line.find(' ');
        if (sp == std::string::npos) return false;
        status_ = std::atoi(line.c_str() + sp + 1);
        first = false;
      } else if (header_is(line, "content-length")) {
        length = std::strtoull(line.c_str() + 15, nullptr, 10);
      } else if (header_is(line, "connection")) {
        close = line.find("close") != std::string::npos || line.find("Close") != std::string::npos;
      }
      pos = eol + 2;
    }
    while (buf_.size() < length)
      if (!fill()) return false;
    body.assign(buf_, 0, length);
    buf_.erase(0, length);
    if (close) {
      close_socket();
    } else {
      reused_ = true;
    }
    return status_ > 0;
  }

  std::string host_, port_;
  int fd_ = -1;
  bool reused_ = false;
  int status_ = -1;
  std::string buf_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::cerr << "usage: claim_client HOST PORT MICROVERSION CLIENTS INPUT OUTPUT\n";
    return 2;
  }
  const std::string host = argv[1], port = argv[2], mv = argv[3];
  const int clients = std::max(1, std::atoi(argv[4]));
  std::ifstream in(argv[5]);
  if (!in) {
    std::cerr << "claim_client: cannot read " << argv[5] << "\n";
    return 2;
  }
  std::vector<Claim> claims;
  for (std::string line; std::getline(in, line);) {
    const std::size_t sp = line.find(' ');
    if (sp == std::string::npos) continue;
    Claim c;
    c.consumer = line.substr(0, sp);
    const std::string body = line.substr(sp + 1);
    c.request = "PUT /allocations/" + c.consumer + " HTTP/1.1\r\nHost: " + host + ":" + port +
                "\r\nX-Auth-Token: admin\r\nAccept: application/json\r\n"
                "OpenStack-API-Version: placement " + mv +
                "\r\nContent-Type: application/json\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\n\r\n" + body;
    claims.push_back(std::move(c));
  }

  std::atomic<std::size_t> next{0};
  std::mutex errors_mutex;
  std::vector<std::string> errors;
  auto worker = [&] {
    Connection conn(host, port);
    std::string body;
    for (std::size_t i; (i = next.fetch_add(1)) < claims.size();) {
      Claim& c = claims[i];
      const auto t0 = std::chrono::steady_clock::now();
      c.status = conn.exchange(c.request, body, c.error);
      c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (c.status != 204) {
        std::lock_guard lock(errors_mutex);
        if (errors.size() < 3)
          errors.push_back(std::to_string(c.status) + " " +
                           (c.status < 0 ? c.error : body.substr(0, 300)));
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) threads.emplace_back(worker);
  for (auto& t : threads) t.join();

  std::ofstream out(argv[6]);
  bool all_answered = true;
  for (const Claim& c : claims) {
    out << c.consumer << ' ' << c.status << ' ' << c.seconds << '\n';
    all_answered = all_answered && c.status > 0;
  }
  for (std::string e : errors) {
    for (char& ch : e)
      if (ch == '\n' || ch == '\r') ch = ' ';
    out << "# " << e << '\n';
  }
  return all_answered ? 0 : 1;
}
