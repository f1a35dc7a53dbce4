#include "fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

namespace hn::test {

const char* fault_name(Fault f) {
  switch (f) {
    case Fault::None: return "none";
    case Fault::Reset: return "reset";
    case Fault::Stall: return "stall";
    case Fault::CutResponse: return "cut-response";
    case Fault::Error500: return "500";
    case Fault::Trickle: return "trickle";
  }
  return "?";
}

namespace {
int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Closes with RST instead of FIN: what a dropped link looks like to the client.
void reset(int fd) {
  linger l{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  ::close(fd);
}

bool send_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const auto w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}
}  // namespace

FaultProxy::FaultProxy(int upstream_port, int fault_percent, unsigned seed)
    : upstream_port_(upstream_port), fault_percent_(fault_percent), rng_(seed) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // loopback only, never another address
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listener_, 64) != 0)
    throw std::runtime_error("fault proxy: cannot listen on loopback");
  socklen_t len = sizeof a;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

FaultProxy::~FaultProxy() {
  stopping_ = true;
  ::shutdown(listener_, SHUT_RDWR);
  ::close(listener_);
  if (acceptor_.joinable()) acceptor_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& w : workers_)
    if (w.joinable()) w.join();
}

std::map<Fault, int> FaultProxy::counts() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::map<Fault, int> all = counts_;
  for (Fault f : {Fault::None, Fault::Reset, Fault::Stall, Fault::CutResponse, Fault::Error500, Fault::Trickle})
    all[f] += 0;
  return all;
}

Fault FaultProxy::draw() {
  std::lock_guard<std::mutex> lock(mutex_);
  Fault fault = Fault::None;
  if (static_cast<int>(rng_() % 100) < fault_percent_) fault = static_cast<Fault>(1 + rng_() % 5);
  ++counts_[fault];
  return fault;
}

void FaultProxy::accept_loop() {
  while (!stopping_) {
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    std::lock_guard<std::mutex> lock(mutex_);
    workers_.emplace_back([this, client] { serve(client); });
  }
}

void FaultProxy::serve(int client) {
  const int server = connect_loopback(upstream_port_);
  if (server < 0) {
    reset(client);
    return;
  }
  char buf[16384];
  bool answered = true;  // the next bytes from the client begin a new request
  Fault fault = Fault::None;
  pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
  while (!stopping_) {
    if (::poll(fds, 2, 100) <= 0) continue;
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      const auto n = ::recv(client, buf, sizeof buf, 0);
      if (n <= 0) break;
      if (answered) {
        answered = false;
        fault = draw();
        if (fault == Fault::Reset) break;
        if (fault == Fault::Error500) {
          const char* answer =
              "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
          send_all(client, answer, std::strlen(answer));
          ::close(client);
          ::close(server);
          return;
        }
        if (fault == Fault::Stall) {
          // Say nothing until the client gives up (at most 10 s).
          for (int i = 0; i < 100 && !stopping_; ++i) {
            pollfd q{client, POLLIN, 0};
            if (::poll(&q, 1, 100) > 0 && ::recv(client, buf, sizeof buf, 0) <= 0) break;
          }
          break;
        }
      }
      if (!send_all(server, buf, static_cast<std::size_t>(n))) break;
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      const auto n = ::recv(server, buf, sizeof buf, 0);
      if (n <= 0) break;
      answered = true;
      if (fault == Fault::CutResponse) break;  // the server committed and answered: lost
      if (fault == Fault::Trickle) {
        bool ok = true;
        for (ssize_t i = 0; i < n && ok; i += 64) {
          ok = send_all(client, buf + i, static_cast<std::size_t>(std::min<ssize_t>(64, n - i)));
          std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        if (!ok) break;
      } else if (!send_all(client, buf, static_cast<std::size_t>(n))) {
        break;
      }
    }
  }
  // Faults end with a reset, as a dropped link does; a clean end closes normally.
  if (fault == Fault::None || fault == Fault::Trickle) ::close(client);
  else reset(client);
  ::close(server);
}

}  // namespace hn::test
