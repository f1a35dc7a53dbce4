// The terminal's link to the province from the command line (issue 14, items 2 and 9): plain
// http goes only to this machine, whatever the address looks like and wherever the setting came
// from; a credential others can read is refused like ssh refuses a private key; and `sync` says
// so in its exit code when something could not be delivered.
//
// No test here lets anything leave this machine: refused addresses use names under .invalid,
// and the refusal is checked to come before any connection. A loopback listener that never
// accepts stands in for "somewhere else": a connection made to it waits in its queue, so after
// the command has exited, an empty queue proves nothing was sent its way.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdexcept>

#include <catch2/catch.hpp>

#include "cli_harness.hpp"
#include "loopback.hpp"

using namespace hn_cli;
using hn::test::closed_port;
using hn::test::Listener;
namespace d = hn_cli::demo;

namespace {

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

// What a refused setup must leave as it was.
std::string sync_state(const DemoOutlet& outlet) {
  std::string s;
  for (const auto& row : outlet.reader().rows("SELECT key, value FROM settings WHERE key LIKE 'sync.%' ORDER BY key"))
    s += row[0] + "=" + row[1] + "\n";
  return s + "journal " + std::to_string(outlet.reader().count("journal")) + "\n" +
         "outbox " + std::to_string(outlet.reader().scalar("SELECT COALESCE(SUM(attempts), 0) FROM outbox"));
}

void sell_one_tv(const DemoOutlet& outlet) {
  const auto sold = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00"));
  INFO(sold.describe());
  REQUIRE(sold.exit_code == 0);
}

}  // namespace

TEST_CASE("sync setup refuses plain http to any host but this machine, whatever the address looks like, "
          "and writes nothing",
          "[cli][sync][url]") {
  DemoOutlet outlet;
  const std::string credential = make_credential(outlet);
  const std::string before = sync_state(outlet);
  struct Case {
    const char* url;
    const char* code;
    const char* host;  // the host libcurl would connect to, named in the message
  };
  for (const Case& c : {Case{"http://127.0.0.1@example.invalid/", "SERVER_INVALID", "example.invalid"},
                        Case{"http://127.0.0.1.example.invalid/", "SERVER_NOT_HTTPS", "127.0.0.1.example.invalid"},
                        Case{"http://localhost.invalid/", "SERVER_NOT_HTTPS", "localhost.invalid"},
                        Case{"http://prov:secret@127.0.0.1:9/", "SERVER_INVALID", "127.0.0.1"},
                        Case{"ftp://127.0.0.1/", "SERVER_INVALID", "ftp"}}) {
    const auto r = setup(outlet, c.url, credential);
    INFO(r.describe());
    CHECK(r.exit_code == 2);
    const auto e = error_of(r.json());
    CHECK(e["code"] == c.code);
    CHECK(contains(e["message_en"].get<std::string>(), c.host));
    CHECK(contains(e["message_zh"].get<std::string>(), c.host));
    CHECK(has_cjk(e["message_zh"].get<std::string>()));
    CHECK_FALSE(contains(r.all_output(), "secret"));  // a password in an address is never echoed
    CHECK(sync_state(outlet) == before);
  }
  // The same check lets the sandbox on this machine through, and anything over https.
  CHECK(setup(outlet, "http://127.0.0.1:9/", credential).exit_code == 0);
  CHECK(setup(outlet, "HTTP://LOCALHOST:9/", credential).exit_code == 0);
  CHECK(setup(outlet, "https://prov.example.invalid/", credential).exit_code == 0);
}

TEST_CASE("sync setup refuses a pinned key that is not sha256// and base64, a file path above all, and writes nothing",
          "[cli][sync][url]") {
  DemoOutlet outlet;
  const std::string credential = make_credential(outlet);
  const std::string before = sync_state(outlet);
  const std::string good = "sha256//" + std::string(43, 'A') + "=";
  for (const std::string& pin : {std::string("/etc/passwd"), std::string("sha256//short"), good + "\x1b[2J",
                                good + ";", std::string("sha1//") + std::string(44, 'A')}) {
    const auto r = outlet.as_manager({"--json", "sync", "setup", "--user", d::kManager, "--server",
                                      "http://127.0.0.1:9/", "--credential", credential, "--pin-public-key", pin});
    INFO(r.describe());
    CHECK(r.exit_code == 2);
    CHECK(error_of(r.json())["code"] == "PIN_INVALID");
    CHECK(has_cjk(error_of(r.json())["message_zh"].get<std::string>()));
    CHECK(sync_state(outlet) == before);
  }
  // One pin, or two joined by ';', as the province gives them.
  CHECK(outlet.as_manager({"--json", "sync", "setup", "--user", d::kManager, "--server", "http://127.0.0.1:9/",
                           "--credential", credential, "--pin-public-key", good + ";" + good})
            .exit_code == 0);
}

TEST_CASE("a province address edited into the database is refused at connect: sync sends nothing",
          "[cli][sync][url]") {
  DemoOutlet outlet;
  sell_one_tv(outlet);
  const std::string credential = make_credential(outlet);
  REQUIRE(setup(outlet, "http://127.0.0.1:9/", credential).exit_code == 0);
  // Someone with the file bypasses `sync setup`.
  tamper(outlet.db(), "UPDATE settings SET value = 'http://127.0.0.1@example.invalid/' WHERE key = 'sync.server'");
  // Were a request made, it would go to this proxy: a loopback stand-in for another machine,
  // which also keeps the name from being looked up.
  Listener elsewhere;
  const auto r = outlet.run({"--json", "sync", "--user", d::kClerk, "--once"},
                            {{"HUINONG_PIN", d::kClerkPin}, {"http_proxy", elsewhere.url()}});
  INFO(r.describe());
  CHECK(r.exit_code == 2);
  const auto e = error_of(r.json());
  CHECK(e["code"] == "SERVER_INVALID");
  CHECK(contains(e["message_en"].get<std::string>(), "example.invalid"));
  CHECK_FALSE(elsewhere.connected());
  CHECK(outlet.reader().scalar("SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND attempts = 0") == 1);

  // Plain http to another host, edited in the same way: refused just the same.
  tamper(outlet.db(), "UPDATE settings SET value = 'http://localhost.invalid/' WHERE key = 'sync.server'");
  const auto again = outlet.run({"--json", "sync", "--user", d::kClerk, "--once"},
                                {{"HUINONG_PIN", d::kClerkPin}, {"http_proxy", elsewhere.url()}});
  INFO(again.describe());
  CHECK(again.exit_code == 2);
  CHECK(error_of(again.json())["code"] == "SERVER_NOT_HTTPS");
  CHECK_FALSE(elsewhere.connected());
}

TEST_CASE("a credential others can read is refused at setup and at connect, with the chmod to run",
          "[cli][sync][credential]") {
  DemoOutlet outlet;
  sell_one_tv(outlet);
  const std::string credential = make_credential(outlet);
  const std::string key = credential + "/hmac.key";
  Listener province;  // the configured server: nothing may reach it
  const std::string before = sync_state(outlet);

  REQUIRE(::chmod(key.c_str(), 0644) == 0);
  const auto r = setup(outlet, province.url(), credential);
  INFO(r.describe());
  CHECK(r.exit_code == 2);
  auto e = error_of(r.json());
  CHECK(e["code"] == "CREDENTIAL_PERMISSIONS");
  CHECK(contains(e["message_en"].get<std::string>(), "chmod 600 " + key));
  CHECK(contains(e["message_zh"].get<std::string>(), "chmod 600 " + key));
  CHECK(sync_state(outlet) == before);

  REQUIRE(::chmod(key.c_str(), 0600) == 0);
  REQUIRE(setup(outlet, province.url(), credential).exit_code == 0);
  // Later the key is made group-readable (a careless copy): the next connect refuses.
  REQUIRE(::chmod(key.c_str(), 0640) == 0);
  const auto sync = outlet.run({"--json", "sync", "--user", d::kClerk, "--once"}, {{"HUINONG_PIN", d::kClerkPin}});
  INFO(sync.describe());
  CHECK(sync.exit_code == 2);
  e = error_of(sync.json());
  CHECK(e["code"] == "CREDENTIAL_PERMISSIONS");
  CHECK(contains(e["message_en"].get<std::string>(), "chmod 600 " + key));
  CHECK_FALSE(province.connected());

  // The TLS client key is a secret too.
  REQUIRE(::chmod(key.c_str(), 0600) == 0);
  const std::string tls_key = credential + "/client.key";
  write_file(tls_key, "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n");
  REQUIRE(::chmod(tls_key.c_str(), 0604) == 0);
  const auto tls = outlet.run({"--json", "sync", "--user", d::kClerk, "--once"}, {{"HUINONG_PIN", d::kClerkPin}});
  INFO(tls.describe());
  CHECK(tls.exit_code == 2);
  e = error_of(tls.json());
  CHECK(e["code"] == "CREDENTIAL_PERMISSIONS");
  CHECK(contains(e["message_en"].get<std::string>(), "chmod 600 " + tls_key));
  CHECK_FALSE(province.connected());
}

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
