#pragma once
// Slow clients (issue 14, item 8). httplib 0.11 times out single reads only, so a client that
// sends a byte every second keeps its connection forever, and it serves from a fixed pool of
// max(8, cores - 1) threads: eight such connections stopped every request. ConnectionGuard
// gives `serve`
//  - a pool that grows with the connections, up to kMaxWorkers threads, so a handful of slow
//    clients never holds every worker;
//  - deadlines on each request as a whole: its head within kHeadSeconds of the connection (or
//    of the previous answer), its body at kMinBodyBytesPerSecond after kBodySeconds, its answer
//    within kAnswerSeconds. Past a deadline the connection is shut down and its worker freed.
// Time the server spends in a handler (waiting for the database included) never counts.
//
// httplib hands a connection to the pool without naming its socket. The guard finds it when the
// pool is given the connection, on the accepting thread right after accept(): the one connected
// socket of the listening port it does not know yet. It keeps a duplicate of it, so that a
// deadline shuts down that connection and never another one that reuses the number. A
// connection it cannot tell apart keeps httplib's per-read timeouts only.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include <sys/types.h>

namespace httplib {
class Server;
}

namespace hn::sandbox {

class ConnectionGuard {
 public:
  static constexpr std::size_t kMaxWorkers = 128;
  static constexpr int kHeadSeconds = 10;
  static constexpr int kBodySeconds = 10;
  static constexpr std::size_t kMinBodyBytesPerSecond = 64 * 1024;
  static constexpr int kAnswerSeconds = 30;
  // Per read and per write (httplib's own timeouts).
  static constexpr int kIoTimeoutSeconds = 5;

  ConnectionGuard();
  ~ConnectionGuard();
  ConnectionGuard(const ConnectionGuard&) = delete;
  ConnectionGuard& operator=(const ConnectionGuard&) = delete;

  // Gives `server` the growing pool and the timeouts. Call before it listens.
  void install(httplib::Server& server);
  // The port the server is bound to: the guard finds new connections by it.
  void set_port(int port);
  // Shuts down every connection waiting on its client; the others once answered. For SIGTERM.
  void stop();

  // Called on the worker serving the request, from the server's hooks:
  // the head has arrived and `body_bytes` of body are to come (pre-routing);
  void head_received(std::size_t body_bytes);
  // a handler runs (no deadline) and, when it returns, the answer is being written;
  void handler_started();
  void handler_finished();
  // the answer was written (the logger); the next request's head has kHeadSeconds.
  void answered();
  // This request's body will not be read (refused from its head): after the answer the
  // connection is closed, reading off what the client still sends for a moment first, so that
  // the answer is not lost to a reset.
  void close_after_answer();

 private:
  struct Connection;
  class Pool;
  using Clock = std::chrono::steady_clock;

  std::shared_ptr<Connection> accepted();
  void finished(const std::shared_ptr<Connection>& c);
  void arm(Connection& c, Clock::time_point deadline, bool answering);
  void disarm(Connection& c);
  void watch();

  static thread_local Connection* current_;  // the connection this worker serves

  std::mutex mutex_;
  std::condition_variable cv_;
  std::map<ino_t, std::shared_ptr<Connection>> tracked_;  // by socket inode
  int port_ = 0;
  bool stopping_ = false;
  bool ending_ = false;
  std::thread watchdog_;
};

}  // namespace hn::sandbox
