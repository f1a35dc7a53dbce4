// Where the terminal's uploads go, seen from the command line a technician uses (issue 14, item
// 2): buyers' data sent in plain http to the sandbox on this machine goes straight there, never
// through a proxy named in the environment. The real sandbox, the huinong binary, loopback only.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "province_harness.hpp"

using namespace hn;
using namespace hn::test;

namespace {

// `huinong --db DB --json ARGS...`: its exit code; its standard output parsed in `out`.
int huinong(const std::string& db, const std::vector<std::string>& args, const Env& env, nlohmann::json& out) {
  std::vector<std::string> argv = {HUINONG_CLI_BIN, "--db", db, "--json"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string text;
  const int rc = run(argv, env, &text);
  UNSCOPED_INFO("huinong " << args.front() << " exited " << rc << ": " << text);
  out = nlohmann::json::parse(text, nullptr, false);
  return rc;
}

const Env kManager = {{"HUINONG_PIN", "1234"}};
const Env kClerk = {{"HUINONG_PIN", "5678"}};

// A TCP listener on 127.0.0.1 that never accepts: a connection made to it waits in its queue,
// so once a command has exited, an empty queue proves nothing went its way.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 16) != 0)
      throw std::runtime_error("cannot listen on loopback");
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~Listener() { ::close(fd_); }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  bool connected() const {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace

TEST_CASE("plain http to the sandbox on this machine never goes through a proxy from the environment",
          "[sync][url][cli]") {
  TempDir dir;
  Province province(dir.path());
  const std::string cred = province.add_outlet("AH-XX-0001", 1, 3, dir.file("a.csv"));
  const std::string db = dir.file("a.db");
  { TestTerminal a(db, "AH-XX-0001", dir.file("a.csv")); REQUIRE(a.sell_tv(tv_card(1), "H1")); }
  province.serve();
  nlohmann::json out;
  REQUIRE(huinong(db, {"sync", "setup", "--user", "wang", "--server", province.url(), "--credential", cred},
                  kManager, out) == 0);
  // libcurl honours http_proxy for any host, loopback included: buyers' ID numbers would cross
  // the network in clear to wherever it points. Here it points at a loopback stand-in.
  Listener proxy;
  Env env = kClerk;
  env["http_proxy"] = proxy.url();
  env["ALL_PROXY"] = proxy.url();
  CHECK(huinong(db, {"sync", "--user", "li", "--once"}, env, out) == 0);
  CHECK(out["accepted"] == 1);
  CHECK(out["pending"] == 0);
  CHECK_FALSE(proxy.connected());
  CHECK(report_count(province.report(), "AH-XX-0001", "accepted") == 1);
}
