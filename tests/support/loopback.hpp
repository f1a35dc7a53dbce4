#pragma once
// Ports on 127.0.0.1 for tests of what the terminal may or may not reach: a listener that
// never accepts, and a port nothing listens on.
#include <string>

namespace hn::test {

// A TCP listener on 127.0.0.1 that never accepts: a connection made to it waits in its queue,
// so once a command has exited, an empty queue proves nothing went its way.
class Listener {
 public:
  Listener();
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  // Whether anyone connected (the connection waits in the queue: nothing accepts it).
  bool connected() const;

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A loopback port nothing listens on: the kernel's pick for a socket bound and closed again.
int closed_port();

}  // namespace hn::test
