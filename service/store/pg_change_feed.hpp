#pragma once
// PostgreSQL's side of several instances on one database: one extra connection per instance
// that LISTENs on kChangeChannel. Every write transaction of every instance ends with
// NOTIFY kChangeChannel, '<its instance id>' (PostgresDatabase), delivered when it commits; a
// thread of the feed's own waits in poll() on the connection's socket and calls on_change(true)
// when a notification comes from another instance. A lost connection is reopened with backoff
// (0.1 s doubling to 5 s); once it is back on_change(false) is called, since notifications sent
// meanwhile are lost.
#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

#include "service/store/database.hpp"

struct pg_conn;

namespace vgpu::store {

inline constexpr std::string_view kChangeChannel = "vgpu_placement";

class PgChangeFeed final : public ChangeFeed {
 public:
  // Connects and LISTENs before returning when it can; when it cannot, the thread keeps trying
  // and calls on_change once it succeeds.
  PgChangeFeed(std::string conninfo, std::string own_id, std::function<void(bool)> on_change);
  ~PgChangeFeed() override;  // stops and joins the thread
  PgChangeFeed(const PgChangeFeed&) = delete;
  PgChangeFeed& operator=(const PgChangeFeed&) = delete;

 private:
  void run();
  bool connect();     // connects and LISTENs; false (and no connection) on failure
  void disconnect();
  // Reads what arrived; false if the connection is gone.
  bool drain();
  // Waits until the socket (if >= 0) is readable, the timeout passes or stop; returns true if
  // the socket is readable.
  bool wait(int socket, int timeout_ms);

  std::string conninfo_;
  std::string own_id_;
  std::function<void(bool)> on_change_;
  pg_conn* conn_ = nullptr;
  int wake_fd_ = -1;  // eventfd: the destructor wakes the thread out of poll()
  std::atomic<bool> stop_{false};
  std::thread thread_;  // last: starts once everything above is initialised
};

}  // namespace vgpu::store
