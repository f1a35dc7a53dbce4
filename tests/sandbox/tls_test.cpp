// The sandbox serving TLS itself with a client CA (PROTOCOL.md "Transport"): certificates made
// here with the openssl CLI, as an operator would.
#include <catch2/catch.hpp>

#include <filesystem>

#include "harness.hpp"
#include "tls_harness.hpp"

using namespace hn;
using namespace hn::test;
using nlohmann::json;

namespace {

// A CA, a server certificate for IP 127.0.0.1 and a client certificate, EC P-256 (quick to make).
struct Pki {
  std::string dir;
  explicit Pki(const std::string& d) : dir(d) {
    const std::string ec = "ec", curve = "ec_paramgen_curve:prime256v1";
    std::ofstream(f("server.ext")) << "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                                      "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n";
    std::ofstream(f("client.ext")) << "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n"
                                      "extendedKeyUsage=clientAuth\n";
    openssl({"req", "-x509", "-newkey", ec, "-pkeyopt", curve, "-nodes", "-keyout", f("ca.key"), "-out",
             f("ca.crt"), "-days", "2", "-subj", "/CN=Huinong Sandbox Test CA"});
    for (const std::string who : {"server", "client"}) {
      openssl({"req", "-newkey", ec, "-pkeyopt", curve, "-nodes", "-keyout", f(who + ".key"), "-out",
               f(who + ".csr"), "-subj", who == "server" ? "/CN=127.0.0.1" : "/CN=AH-XX-0001"});
      openssl({"x509", "-req", "-in", f(who + ".csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"),
               "-CAcreateserial", "-out", f(who + ".crt"), "-days", "2", "-extfile", f(who + ".ext")});
    }
  }
  std::string f(const std::string& name) const { return dir + "/" + name; }
};

}  // namespace

TEST_CASE("TLS with a client CA: with the client certificate it works, without it fails", "[sandbox][tls]") {
  Sandbox sb;
  std::filesystem::create_directory(sb.dir().file("pki"));
  const Pki pki(sb.dir().file("pki"));
  sync::Credential plain = sb.add_outlet("AH-XX-0001");
  // The credential directory holds the client certificate and the CA (PROTOCOL.md).
  for (const char* name : {"client.crt", "client.key", "ca.crt"})
    std::filesystem::copy_file(pki.f(name), plain.dir + "/" + name);
  const sync::Credential cred = sync::load_credential(plain.dir);
  REQUIRE(!cred.client_cert.empty());
  REQUIRE(!cred.ca_cert.empty());
  sb.issue_cards("AH-XX-0001", {{"T1", "S-T1", "HISENSE-TLM26V68"}});
  sb.start({"--tls-cert", pki.f("server.crt"), "--tls-key", pki.f("server.key"), "--client-ca", pki.f("ca.crt")});

  auto with_cert = sb.client(cred);
  const Reply ok = with_cert.post("/api/v1/sales", sales_body({wire_sale("tls-1", "3413220001", 1,
                                                                           {{"T1", "S-T1", "HISENSE-TLM26V68", Category::Tv, 199900}})}));
  INFO(httplib::to_string(ok.error) << " " << ok.raw << " " << sb.log());
  REQUIRE(ok.status == 200);
  CHECK(ok.body["results"][0]["status"] == "accepted");

  // Without the client certificate the handshake is refused: no answer at all.
  sync::Credential no_cert = cred;
  no_cert.client_cert.clear();
  no_cert.client_key.clear();
  auto anonymous = sb.client(no_cert);
  const Reply refused = anonymous.post("/api/v1/quota", json{{"household", "3413220001"}});
  CHECK(refused.status == 0);
  CHECK(refused.error != httplib::Error::Success);

  // A client that does not trust the server's CA refuses the server.
  sync::Credential untrusting = cred;
  untrusting.ca_cert = pki.f("client.crt");  // not the CA
  auto wary = sb.client(untrusting);
  const Reply unverified = wary.post("/api/v1/quota", json{{"household", "3413220001"}});
  CHECK(unverified.status == 0);
  CHECK(unverified.error == httplib::Error::SSLServerVerification);

  // Plain HTTP to the TLS port gets nowhere either.
  auto plain_client = SignedClient(cred, "http://127.0.0.1:" + std::to_string(sb.port()));
  CHECK(plain_client.post("/api/v1/quota", json{{"household", "3413220001"}}).status != 200);

  // The TLS connection still carries the signature check.
  auto again = sb.client(cred);
  CHECK(again.post("/api/v1/quota", std::string(R"({"household":"3413220001"})"), -1000).body["error"]["code"] ==
        "SIGNATURE_STALE");
  CHECK(sb.stop_status() == 0);
}

TEST_CASE("serve refuses TLS files it cannot load, in both languages", "[sandbox][tls]") {
  Sandbox sb;
  std::string out;
  CHECK(sb.cli({"serve", "--db", sb.db(), "--listen", "127.0.0.1:0", "--tls-cert", sb.dir().file("none.crt"),
                "--tls-key", sb.dir().file("none.key")},
               &out) == 2);
  CHECK(out.find("none.crt") != std::string::npos);
  std::ofstream(sb.dir().file("junk.crt")) << "not a certificate";
  std::ofstream(sb.dir().file("junk.key")) << "not a key";
  out.clear();
  CHECK(sb.cli({"serve", "--db", sb.db(), "--listen", "127.0.0.1:0", "--tls-cert", sb.dir().file("junk.crt"),
                "--tls-key", sb.dir().file("junk.key")},
               &out) == 2);
  CHECK(out.find("错误") != std::string::npos);
  CHECK(out.find("error: cannot load the TLS certificate") != std::string::npos);
}
