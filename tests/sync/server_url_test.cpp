// The province's address, decided on what libcurl's URL API parses (issue 14, item 2): https to
// any host, plain http only to this machine, never a user name or password, never another scheme.
#include <catch2/catch.hpp>

#include "sync/client/link_checks.hpp"
#include "sync/client/transport.hpp"

using namespace hn;

namespace {
struct Expect {
  const char* url;
  const char* code;  // "" when accepted
  const char* host;  // accepted: the host parsed; refused: a text the message must name ("" for none)
};
}  // namespace

TEST_CASE("plain http goes only to this machine, decided on the parsed host", "[sync][url]") {
  const Expect table[] = {
      // The probes of the issue: they passed a prefix check.
      {"http://127.0.0.1@HOST.invalid/", "SERVER_INVALID", "HOST.invalid"},
      {"http://127.0.0.1.example.org/", "SERVER_NOT_HTTPS", "127.0.0.1.example.org"},
      {"http://localhost.evil/", "SERVER_NOT_HTTPS", "localhost.evil"},
      // This machine, however it is written.
      {"http://127.0.0.1:8080/", "", "127.0.0.1"},
      {"http://127.0.0.1", "", "127.0.0.1"},
      {"http://127.255.3.4:9/", "", "127.255.3.4"},
      {"http://[::1]:9/", "", "[::1]"},
      {"HTTP://LOCALHOST/", "", "LOCALHOST"},
      {"http://localhost:8080/prefix/", "", "localhost"},
      {"http://0x7f.1/", "", "127.0.0.1"},      // libcurl writes it as the dotted quad it is
      {"http://127.1/", "", "127.0.0.1"},
      {"http://2130706433/", "", "127.0.0.1"},
      {"http://loc%61lhost/", "", "localhost"},  // decoded before the decision
      // Not this machine, or not certainly.
      {"http://localhost./", "SERVER_NOT_HTTPS", "localhost."},
      {"http://127.0.0.1./", "SERVER_NOT_HTTPS", "127.0.0.1."},
      {"http://128.0.0.1/", "SERVER_NOT_HTTPS", "128.0.0.1"},
      {"http://0x80.1/", "SERVER_NOT_HTTPS", "128.0.0.1"},
      {"http://[::2]/", "SERVER_NOT_HTTPS", "[::2]"},
      {"http://[::ffff:127.0.0.1]/", "SERVER_NOT_HTTPS", "[::ffff:127.0.0.1]"},
      {"http://[::1%25eth0]/", "SERVER_NOT_HTTPS", "[::1%eth0]"},
      {"http://sub.localhost/", "SERVER_NOT_HTTPS", "sub.localhost"},
      {"http://10.0.0.1:8080/", "SERVER_NOT_HTTPS", "10.0.0.1"},
      // https: any host.
      {"https://prov.example/", "", "prov.example"},
      {"HTTPS://Prov.Example:8443/api/", "", "Prov.Example"},
      {"https://127.0.0.1:9/", "", "127.0.0.1"},
      // Never a user name or password, not even to this machine or over https.
      {"https://user@prov.example/", "SERVER_INVALID", "prov.example"},
      {"https://u:p@prov.example/", "SERVER_INVALID", "prov.example"},
      {"http://a:b@127.0.0.1/", "SERVER_INVALID", "127.0.0.1"},
      {"http://127.0.0.1\\@evil.invalid/", "SERVER_INVALID", "evil.invalid"},
      // Other schemes, other shapes.
      {"ftp://127.0.0.1/", "SERVER_INVALID", "ftp"},
      {"file:///etc/passwd", "SERVER_INVALID", "file"},
      {"127.0.0.1:8080", "SERVER_INVALID", "127.0.0.1:8080"},
      {"", "SERVER_INVALID", ""},
      {"https://prov.example/?x=1", "SERVER_INVALID", "prov.example"},
      {"https://prov.example/#top", "SERVER_INVALID", "prov.example"},
      {"http://127.0.0.1/ x", "SERVER_INVALID", "127.0.0.1/"},
      {"http://:80/", "SERVER_INVALID", ""},
  };
  for (const auto& e : table) {
    INFO("url: " << e.url);
    const auto r = sync::check_server_url(e.url);
    if (*e.code == '\0') {
      REQUIRE(r.server);
      CHECK_FALSE(r.refusal);
      CHECK(r.server->host == e.host);
      // What the terminal stores and connects to is what was decided on.
      const auto again = sync::check_server_url(r.server->url);
      REQUIRE(again.server);
      CHECK(again.server->url == r.server->url);
      CHECK(again.server->host == r.server->host);
    } else {
      CHECK_FALSE(r.server);
      REQUIRE(r.refusal);
      CHECK(r.refusal->code == e.code);
      CHECK(r.refusal->message_en.find(e.host) != std::string::npos);
      CHECK(r.refusal->message_zh.find(e.host) != std::string::npos);
    }
  }
}

TEST_CASE("a refusal never echoes a password, and quotes the address cut and escaped", "[sync][url]") {
  const auto secret = sync::check_server_url("https://admin:hunter2@prov.example/");
  REQUIRE(secret.refusal);
  CHECK(secret.refusal->message_en.find("hunter2") == std::string::npos);
  CHECK(secret.refusal->message_en.find("admin") == std::string::npos);
  CHECK(secret.refusal->message_zh.find("hunter2") == std::string::npos);
  // Nor when the address does not even parse (a port out of range) and is quoted as typed.
  for (const char* url : {"https://admin:hunter2@prov.example:99999/", "http://admin:hunter2@[::1/"}) {
    INFO(url);
    const auto unparsed = sync::check_server_url(url);
    REQUIRE(unparsed.refusal);
    CHECK(unparsed.refusal->code == "SERVER_INVALID");
    CHECK(unparsed.refusal->message_en.find("hunter2") == std::string::npos);
    CHECK(unparsed.refusal->message_en.find("://***@") != std::string::npos);
  }

  const std::string with_nul("http://127.0.0.1/\0@evil.invalid/", 32);
  const auto nul = sync::check_server_url(with_nul);
  REQUIRE(nul.refusal);
  CHECK(nul.refusal->code == "SERVER_INVALID");
  CHECK(nul.refusal->message_en.find("\\x00") != std::string::npos);

  const std::string escape = "http://127.0.0.1/\x1b[2J" + std::string(5000, 'a');
  const auto long_one = sync::check_server_url(escape);
  REQUIRE(long_one.refusal);
  CHECK(long_one.refusal->message_en.find('\x1b') == std::string::npos);
  CHECK(long_one.refusal->message_en.size() < 400);

  const auto host = sync::check_server_url("http://" + std::string(300, 'h') + ".invalid/");
  REQUIRE(host.refusal);
  CHECK(host.refusal->code == "SERVER_NOT_HTTPS");
  CHECK(host.refusal->message_en.size() < 500);
  CHECK(host.refusal->message_en.find(std::string(61, 'h')) == std::string::npos);
}

TEST_CASE("no transport is made for a refused address: nothing can be sent there", "[sync][url]") {
  for (const char* url : {"http://127.0.0.1@example.invalid/", "http://sales.example.invalid/", "gopher://x/"}) {
    INFO(url);
    CHECK_THROWS_AS(sync::CurlTransport(url, sync::TlsOptions{}), sync::LinkRefused);
  }
  try {
    sync::CurlTransport refused("http://localhost.invalid:8080/", sync::TlsOptions{});
    FAIL("made a transport for plain http to another host");
  } catch (const sync::LinkRefused& e) {
    CHECK(e.refusal().code == "SERVER_NOT_HTTPS");
    CHECK(std::string(e.what()).find("localhost.invalid") != std::string::npos);
  }
  CHECK_NOTHROW(sync::CurlTransport("http://127.0.0.1:9/", sync::TlsOptions{}));
}
