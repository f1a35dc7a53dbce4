#include "connection_guard.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <functional>
#include <vector>

#include <httplib.h>

namespace hn::sandbox {

struct ConnectionGuard::Connection {
  int fd = -1;  // our duplicate of the connection's socket
  ino_t inode = 0;
  Clock::time_point deadline;
  bool armed = false;        // a deadline runs
  bool answering = false;    // the deadline is the answer's, not the client's request's
  bool cut = false;          // shut down already
  bool close_after = false;  // only the worker serving it touches this
};

thread_local ConnectionGuard::Connection* ConnectionGuard::current_ = nullptr;

// httplib's task queue: one task per connection, run to its end on one thread. Threads are
// added while tasks wait and fewer than kMaxWorkers run; they stay until the server stops.
class ConnectionGuard::Pool final : public httplib::TaskQueue {
 public:
  explicit Pool(ConnectionGuard& guard) : guard_(guard) {}

  void enqueue(std::function<void()> fn) override {
    // Still on the accepting thread, right after accept(): the new socket is findable now.
    auto connection = guard_.accepted();
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back({std::move(fn), std::move(connection)});
    if (jobs_.size() > idle_ && threads_.size() < kMaxWorkers)
      threads_.emplace_back([this] { work(); });
    else
      cv_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      shutdown_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }

 private:
  struct Job {
    std::function<void()> fn;
    std::shared_ptr<Connection> connection;
  };

  void work() {
    for (;;) {
      Job job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ++idle_;
        cv_.wait(lock, [this] { return shutdown_ || !jobs_.empty(); });
        --idle_;
        if (jobs_.empty()) return;  // stopping, and every connection handed over was served
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      current_ = job.connection.get();
      job.fn();
      current_ = nullptr;
      if (job.connection) guard_.finished(job.connection);
    }
  }

  ConnectionGuard& guard_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool shutdown_ = false;
};

namespace {

int port_of(const sockaddr_storage& a) {
  if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(a).sin_port);
  if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(a).sin6_port);
  return -1;
}

}  // namespace

ConnectionGuard::ConnectionGuard() : watchdog_([this] { watch(); }) {}

ConnectionGuard::~ConnectionGuard() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ending_ = true;
  }
  cv_.notify_all();
  watchdog_.join();
  for (auto& [inode, c] : tracked_) ::close(c->fd);
}

void ConnectionGuard::install(httplib::Server& server) {
  server.new_task_queue = [this] { return new Pool(*this); };
  server.set_read_timeout(kIoTimeoutSeconds, 0);
  server.set_write_timeout(kIoTimeoutSeconds, 0);
}

void ConnectionGuard::set_port(int port) {
  std::lock_guard<std::mutex> lock(mutex_);
  port_ = port;
}

void ConnectionGuard::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
}

std::shared_ptr<ConnectionGuard::Connection> ConnectionGuard::accepted() {
  std::lock_guard<std::mutex> lock(mutex_);
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return nullptr;
  int found = -1, candidates = 0;
  ino_t inode = 0;
  while (const dirent* e = ::readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(e->d_name, &end, 10);
    if (end == e->d_name || *end != '\0' || fd == ::dirfd(dir)) continue;
    struct stat st {};
    if (::fstat(static_cast<int>(fd), &st) != 0 || !S_ISSOCK(st.st_mode) ||
        tracked_.count(st.st_ino))
      continue;
    int listening = 0;
    socklen_t len = sizeof listening;
    if (::getsockopt(static_cast<int>(fd), SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 ||
        listening)
      continue;
    sockaddr_storage local{}, peer{};
    socklen_t local_len = sizeof local, peer_len = sizeof peer;
    if (::getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
        port_of(local) != port_ ||
        ::getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0)
      continue;
    ++candidates;
    found = static_cast<int>(fd);
    inode = st.st_ino;
  }
  ::closedir(dir);
  if (candidates != 1) return nullptr;  // not told apart: per-read timeouts only
  const int copy = ::fcntl(found, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return nullptr;
  auto c = std::make_shared<Connection>();
  c->fd = copy;
  c->inode = inode;
  c->armed = true;
  c->deadline = Clock::now() + std::chrono::seconds(kHeadSeconds);
  tracked_[inode] = c;
  cv_.notify_all();
  return c;
}

void ConnectionGuard::finished(const std::shared_ptr<Connection>& c) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Closed and forgotten together, under the lock the search for new sockets holds: the
  // inode is never seen without its entry.
  ::close(c->fd);
  tracked_.erase(c->inode);
}

void ConnectionGuard::arm(Connection& c, Clock::time_point deadline, bool answering) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    c.armed = true;
    c.answering = answering;
    c.deadline = deadline;
  }
  cv_.notify_all();
}

void ConnectionGuard::disarm(Connection& c) {
  std::lock_guard<std::mutex> lock(mutex_);
  c.armed = false;
}

void ConnectionGuard::head_received(std::size_t body_bytes) {
  if (!current_) return;
  const std::size_t bytes = std::min<std::size_t>(body_bytes, 64u << 20);
  arm(*current_,
      Clock::now() + std::chrono::seconds(kBodySeconds) +
          std::chrono::seconds(bytes / kMinBodyBytesPerSecond),
      false);
}

void ConnectionGuard::handler_started() {
  if (current_) disarm(*current_);
}

void ConnectionGuard::handler_finished() {
  if (current_) arm(*current_, Clock::now() + std::chrono::seconds(kAnswerSeconds), true);
}

void ConnectionGuard::close_after_answer() {
  if (current_) current_->close_after = true;
}

void ConnectionGuard::answered() {
  Connection* c = current_;
  if (!c) return;
  if (!c->close_after) {
    arm(*c, Clock::now() + std::chrono::seconds(kHeadSeconds), false);
    return;
  }
  // A lingering close: the answer goes out with a FIN, what the client still sends is read
  // and dropped for a moment, then the reading side closes too and httplib ends the
  // connection (it reads end-of-stream).
  disarm(*c);
  ::shutdown(c->fd, SHUT_WR);
  const auto until = Clock::now() + std::chrono::seconds(2);
  std::size_t drained = 0;
  char buf[16384];
  while (drained < (1u << 20)) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
    if (left <= 0) break;
    pollfd p{c->fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) break;
    const ssize_t n = ::recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) break;
    drained += static_cast<std::size_t>(n);
  }
  ::shutdown(c->fd, SHUT_RD);
  std::lock_guard<std::mutex> lock(mutex_);
  c->cut = true;
}

void ConnectionGuard::watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!ending_) {
    const auto now = Clock::now();
    auto next = Clock::time_point::max();
    for (auto& [inode, c] : tracked_) {
      if (!c->armed || c->cut) continue;
      // Stopping, a connection waiting on its client goes at once; an answer is finished.
      if ((stopping_ && !c->answering) || c->deadline <= now) {
        // The worker blocked on it sees end-of-stream or an error at once and lets it go.
        ::shutdown(c->fd, SHUT_RDWR);
        c->cut = true;
      } else {
        next = std::min(next, c->deadline);
      }
    }
    if (next == Clock::time_point::max())
      cv_.wait(lock);
    else
      cv_.wait_until(lock, next);
  }
}

}  // namespace hn::sandbox
