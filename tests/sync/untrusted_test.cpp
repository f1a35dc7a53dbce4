// Where the terminal's uploads go, seen from the command line a technician uses (issue 14, items
// 2 and 9): a server that is not the configured one is SERVER_UNTRUSTED with what to check, not
// a network blip; and buyers' data sent in plain http to the sandbox on this machine goes
// straight there, never through a proxy named in the environment. The real sandbox, nginx with
// client certificates, the huinong binary; everything on loopback.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "loopback.hpp"
#include "province_harness.hpp"
#include "tls_harness.hpp"

using namespace hn;
using namespace hn::test;

namespace {

// `huinong --db DB --json ARGS...`: its exit code; its standard output parsed in `out`.
int huinong(const std::string& db, const std::vector<std::string>& args, const Env& env, nlohmann::json& out) {
  std::string text;
  const int rc = run_cli_json(db, args, env, text);
  UNSCOPED_INFO("huinong " << args.front() << " exited " << rc << ": " << text);
  out = nlohmann::json::parse(text, nullptr, false);
  return rc;
}

const Env kManager = {{"HUINONG_PIN", "1234"}};
const Env kClerk = {{"HUINONG_PIN", "5678"}};

}  // namespace

TEST_CASE("a server that is not the configured one is SERVER_UNTRUSTED at the command line, saying what to "
          "check, and nothing is sent",
          "[sync][tls][cli]") {
  TempDir dir;
  Province province(dir.path());
  const std::string cred = province.add_outlet("AH-XX-0001", 1, 3, dir.file("a.csv"));
  const std::string db = dir.file("a.db");
  { TestTerminal a(db, "AH-XX-0001", dir.file("a.csv")); REQUIRE(a.sell_tv(tv_card(1), "H1")); }
  province.serve();
  const std::string d = dir.path() + "/";
  make_certificates(d);
  namespace fs = std::filesystem;
  for (const char* f : {"ca.crt", "client.crt", "client.key"}) fs::copy_file(d + f, cred + "/" + f);
  const int port = closed_port();
  Child nginx = start_nginx(d, port, province.port());
  const std::string url = "https://127.0.0.1:" + std::to_string(port);

  nlohmann::json out;
  std::vector<std::string> setup = {"sync", "setup", "--user", "wang", "--server", url, "--credential", cred};
  std::string what_to_check;
  SECTION("pinned to another key") {
    openssl({"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", d + "other.key"});
    openssl({"pkey", "-in", d + "other.key", "-pubout", "-outform", "DER", "-out", d + "other.pub.der"});
    setup.insert(setup.end(), {"--pin-public-key", pin_of_der(d + "other.pub.der")});
    what_to_check = "the one pinned in the sync setup (--pin-public-key)";
  }
  SECTION("a host name the server's certificate does not name") {
    setup[5] = "https://localhost:" + std::to_string(port);  // the certificate names 127.0.0.1 only
    what_to_check = "does not name the host 'localhost'";
  }
  SECTION("a certificate not signed by the credential's CA") {
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Another CA", "-keyout",
             d + "other-ca.key", "-out", d + "other-ca.crt"});
    fs::copy_file(d + "other-ca.crt", cred + "/ca.crt", fs::copy_options::overwrite_existing);
    what_to_check = "check that ca.crt in the outlet credential is the province's CA";
  }
  SECTION("a CA file that cannot be read: the server cannot be checked, which is no network blip") {
    std::ofstream(cred + "/ca.crt", std::ios::trunc) << "not a certificate\n";
    what_to_check = cred + "/ca.crt, cannot be read";
  }
  REQUIRE(huinong(db, setup, kManager, out) == 0);
  const int rc = huinong(db, {"sync", "--user", "li", "--once"}, kClerk, out);
  CHECK(rc == 1);  // a sale remains undelivered
  REQUIRE(out.is_object());
  const std::string error = out.value("last_error", "");
  CHECK(error.rfind("SERVER_UNTRUSTED", 0) == 0);
  CHECK(error.find(what_to_check) != std::string::npos);
  CHECK(out.value("updates", "").rfind("SERVER_UNTRUSTED", 0) == 0);
  CHECK(out["undelivered"] == 1);
  // Not a network blip: not retried in seconds (README: the next try is an hour later).
  CHECK(query(db, "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND next_attempt_at > " +
                      std::to_string(unix_ms() + 30 * 60 * 1000)) == 1);
  // Nothing reached the province, not even a request's nonce.
  CHECK(query(province.db(), "SELECT COUNT(*) FROM prov_nonces") == 0);
  CHECK(query(province.db(), "SELECT COUNT(*) FROM prov_sales") == 0);
}

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
