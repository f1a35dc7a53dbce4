// The terminal's link to the province from the command line (issue 14, item 9): `sync` says so
// in its exit code when something could not be delivered.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {

// A loopback port nothing listens on: the kernel's pick for a socket bound and closed again.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// The demo outlet's credential as `huinong-sandbox outlet add --out` writes it (PROTOCOL.md
// "The outlet credential"): outlet.json, and hmac.key owner-only.
std::string make_credential(const DemoOutlet& outlet) {
  const std::string dir = outlet.file("credential");
  REQUIRE(::mkdir(dir.c_str(), 0700) == 0);
  write_file(dir + "/outlet.json", std::string(R"({"protocol":1,"outlet_code":")") + d::kOutletCode +
                                       R"(","outlet_name":"惠农家电","county":")" + d::kCounty + "\"}\n");
  write_file(dir + "/hmac.key", "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a\n");
  REQUIRE(::chmod((dir + "/hmac.key").c_str(), 0600) == 0);
  return dir;
}

RunResult setup(const DemoOutlet& outlet, const std::string& server, const std::string& credential) {
  return outlet.as_manager(
      {"--json", "sync", "setup", "--user", d::kManager, "--server", server, "--credential", credential});
}

void sell_one_tv(const DemoOutlet& outlet) {
  const auto sold = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00"));
  INFO(sold.describe());
  REQUIRE(sold.exit_code == 0);
}

}  // namespace

TEST_CASE("sync --once exits non-zero when sales remain that could not be delivered, and counts them",
          "[cli][sync]") {
  DemoOutlet outlet;
  sell_one_tv(outlet);
  const std::string credential = make_credential(outlet);
  // The province on this machine is down: nothing listens on its port.
  REQUIRE(setup(outlet, "http://127.0.0.1:" + std::to_string(closed_port()) + "/", credential).exit_code == 0);
  const auto r = outlet.run({"--json", "sync", "--user", d::kClerk, "--once"}, {{"HUINONG_PIN", d::kClerkPin}});
  INFO(r.describe());
  CHECK(r.exit_code == 1);
  const auto j = r.json();
  // The fields the contract had before, as they were ...
  CHECK(j["status"] == "pending");
  CHECK(j["sent"] == 0);
  CHECK(j["accepted"] == 0);
  CHECK(j["pending"] == 1);
  CHECK(j["failures"] == 1);
  CHECK(contains(j["last_error"].get<std::string>(), "NO_ANSWER"));
  CHECK(j.contains("duplicate"));
  CHECK(j.contains("rejected"));
  CHECK(j.contains("updates"));
  CHECK(j.contains("returns_advanced"));
  // ... and what was not delivered, in numbers and words.
  CHECK(j["undelivered"] == 1);
  CHECK(j["code"] == "UPLOAD_INCOMPLETE");
  CHECK(contains(j["message_en"].get<std::string>(), "1 "));
  CHECK(has_cjk(j["message_zh"].get<std::string>()));

  const auto text = outlet.run({"sync", "--user", d::kClerk, "--once"}, {{"HUINONG_PIN", d::kClerkPin}});
  INFO(text.describe());
  CHECK(text.exit_code == 1);
  CHECK(contains(text.all_output(), "UPLOAD_INCOMPLETE"));
}
