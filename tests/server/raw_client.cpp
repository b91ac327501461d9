#include "raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace vgpu::test {
namespace {

constexpr std::chrono::milliseconds kReadWait{10000};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string make_request(std::string_view method, std::string_view target, std::string_view body,
                         std::string_view extra_headers) {
  std::string r = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\n";
  r += "Host: localhost\r\n";
  if (!body.empty()) r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  r += extra_headers;
  r += "\r\n";
  r += body;
  return r;
}

RawClient::RawClient(const std::string& ipv4, std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, ipv4.c_str(), &addr.sin_addr);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd_);
    throw std::runtime_error("connect: " + why);
  }
}

RawClient::~RawClient() {
  if (fd_ >= 0) ::close(fd_);
}

void RawClient::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("send: " + std::string(std::strerror(errno)));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void RawClient::fill(std::chrono::milliseconds wait) {
  pollfd p{fd_, POLLIN, 0};
  const int ready = ::poll(&p, 1, static_cast<int>(wait.count()));
  if (ready == 0) throw std::runtime_error("timed out waiting for the server");
  char chunk[16384];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n == 0) throw std::runtime_error("connection closed by the server");
  if (n < 0) throw std::runtime_error("recv: " + std::string(std::strerror(errno)));
  buffer_.append(chunk, static_cast<std::size_t>(n));
}

std::string RawClient::read_line() {
  for (;;) {
    const auto eol = buffer_.find("\r\n");
    if (eol != std::string::npos) {
      std::string line = buffer_.substr(0, eol);
      buffer_.erase(0, eol + 2);
      return line;
    }
    fill(kReadWait);
  }
}

RawResponse RawClient::read_response(bool head_request) {
  RawResponse r;
  const std::string status_line = read_line();  // "HTTP/1.1 200 OK"
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) {
    throw std::runtime_error("bad status line: " + status_line);
  }
  r.status = std::stoi(status_line.substr(9, 3));
  for (std::string line = read_line(); !line.empty(); line = read_line()) {
    const auto colon = line.find(':');
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    r.headers[lower(line.substr(0, colon))] = value;
  }
  const bool bodiless =
      head_request || r.status / 100 == 1 || r.status == 204 || r.status == 304;
  if (!bodiless) {
    if (!r.has_header("content-length")) throw std::runtime_error("response without Content-Length");
    const std::size_t length = std::stoul(r.headers["content-length"]);
    while (buffer_.size() < length) fill(kReadWait);
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
  }
  return r;
}

RawClient::End RawClient::next_event(std::chrono::milliseconds wait) {
  if (!buffer_.empty()) return End::kData;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(wait.count())) == 0) return End::kTimeout;
  char byte;
  const ssize_t n = ::recv(fd_, &byte, 1, MSG_PEEK);
  if (n == 0) return End::kEof;
  if (n < 0) return errno == ECONNRESET ? End::kReset : End::kEof;
  return End::kData;
}

}  // namespace vgpu::test
