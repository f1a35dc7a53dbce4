#pragma once
// A TCP proxy on loopback between the terminal and the province that breaks connections the
// way county networks do: resets, stalls, answers cut off after the server committed, 500s,
// slow trickles. Every request draws its fault, also on a kept-alive connection (a request
// begins when the client sends after the last answer). Bounded: it stops with the object.
#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace hn::test {

enum class Fault { None, Reset, Stall, CutResponse, Error500, Trickle };
const char* fault_name(Fault f);

class FaultProxy {
 public:
  // Forwards 127.0.0.1:<port()> to 127.0.0.1:`upstream_port`. `fault_percent` of the
  // requests get one of the faults, drawn evenly.
  FaultProxy(int upstream_port, int fault_percent, unsigned seed);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  int port() const { return port_; }
  void set_fault_percent(int percent) { fault_percent_ = percent; }
  std::map<Fault, int> counts();  // requests per fault so far (every fault listed)

 private:
  void accept_loop();
  void serve(int client);
  Fault draw();

  int upstream_port_;
  std::atomic<int> fault_percent_;
  std::mt19937 rng_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<std::thread> workers_;
  std::map<Fault, int> counts_;
};

}  // namespace hn::test
