#include "service/store/pg_change_feed.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

namespace vgpu::store {
namespace {

using namespace std::chrono_literals;

constexpr auto kFirstBackoff = 100ms;
constexpr auto kMaxBackoff = 5000ms;
// With nothing heard for this long the connection is probed with a query: a peer that vanished
// without closing the socket (network loss) is noticed within about this long.
constexpr int kIdleProbeMs = 10000;

}  // namespace

PgChangeFeed::PgChangeFeed(std::string conninfo, std::string own_id,
                           std::function<void(bool)> on_change)
    : conninfo_(std::move(conninfo)),
      own_id_(std::move(own_id)),
      on_change_(std::move(on_change)),
      wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  connect();  // a failure is retried by the thread
  thread_ = std::thread([this] { run(); });
}

PgChangeFeed::~PgChangeFeed() {
  stop_ = true;
  const std::uint64_t one = 1;
  if (wake_fd_ >= 0) (void)!write(wake_fd_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
  disconnect();
  if (wake_fd_ >= 0) close(wake_fd_);
}

bool PgChangeFeed::connect() {
  disconnect();
  // TCP keepalives and a user timeout: a server that vanished without closing the socket (a
  // network partition) fails the connection within about 30 s instead of the kernel's minutes.
  // The URL's own settings come last and override these.
  const char* keys[] = {"connect_timeout",  "fallback_application_name", "keepalives_idle",
                        "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                        "dbname",           nullptr};
  const char* values[] = {"5", "vgpu-placement-listen", "10", "5", "3", "30000",
                          conninfo_.c_str(), nullptr};
  conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    disconnect();
    return false;
  }
  PGresult* r = PQexec(conn_, ("LISTEN " + std::string(kChangeChannel)).c_str());
  const bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  if (!ok) disconnect();
  return ok;
}

void PgChangeFeed::disconnect() {
  PQfinish(conn_);
  conn_ = nullptr;
}

bool PgChangeFeed::wait(int socket, int timeout_ms) {
  pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {socket, POLLIN, 0}};
  const int n = poll(fds, socket >= 0 ? 2 : 1, timeout_ms);
  return n > 0 && socket >= 0 && (fds[1].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
}

bool PgChangeFeed::drain() {
  if (!PQconsumeInput(conn_) || PQstatus(conn_) != CONNECTION_OK) return false;
  bool foreign = false;
  while (PGnotify* n = PQnotifies(conn_)) {
    if (own_id_ != n->extra) foreign = true;
    PQfreemem(n);
  }
  // Several notifications read at once are one change to catch up with.
  if (foreign) on_change_(true);
  return true;
}

void PgChangeFeed::run() {
  auto backoff = std::chrono::milliseconds(kFirstBackoff);
  while (!stop_) {
    if (!conn_) {
      if (!connect()) {
        wait(-1, static_cast<int>(backoff.count()));
        backoff = std::min(backoff * 2, std::chrono::milliseconds(kMaxBackoff));
        continue;
      }
      backoff = kFirstBackoff;
      on_change_(false);  // whatever was notified while we were away is lost: catch up
    }
    const bool readable = wait(PQsocket(conn_), kIdleProbeMs);
    if (stop_) break;
    if (readable) {
      if (!drain()) disconnect();
      continue;
    }
    // Idle: a round trip proves the server is still there (and delivers any notification).
    PGresult* r = PQexec(conn_, "SELECT 1");
    const bool ok = r && PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    if (!ok || !drain()) disconnect();
  }
}

}  // namespace vgpu::store
