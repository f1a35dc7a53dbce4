// The province's address as a manager types it or as someone edits it into the database:
// check_server_url (sync/client/link_checks.hpp), and the message it quotes the address in.
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "fuzz_check.hpp"
#include "sync/client/link_checks.hpp"

using namespace hn;

namespace {
struct UrlCleanup {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

std::optional<std::string> part(CURLU* u, CURLUPart which) {
  char* s = nullptr;
  if (curl_url_get(u, which, &s, 0) != CURLUE_OK || !s) return std::nullopt;
  std::string out(s);
  curl_free(s);
  return out;
}

// This machine by another road than the check's: getaddrinfo on the numeric address.
bool numeric_loopback(std::string host) {
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  addrinfo hints{};
  hints.ai_flags = AI_NUMERICHOST;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0) return false;
  bool loopback = res != nullptr;
  for (const addrinfo* a = res; a; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(a->ai_addr);
      loopback = loopback && (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    } else if (a->ai_family == AF_INET6) {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(a->ai_addr);
      loopback = loopback && IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
    } else {
      loopback = false;
    }
  }
  freeaddrinfo(res);
  return loopback;
}

bool lower_equal(const std::string& a, const char* b) {
  std::string l = a;
  for (char& c : l)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return l == b;
}

void check_message(const std::string& m) {
  FUZZ_CHECK(!m.empty());
  FUZZ_CHECK(m.size() < 1200);  // the address is quoted cut, never whole
  for (const char c : m) FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const sync::ServerUrlCheck r = sync::check_server_url(text);
  FUZZ_CHECK(r.server.has_value() != r.refusal.has_value());
  if (r.refusal) {
    FUZZ_CHECK(r.refusal->code == "SERVER_INVALID" || r.refusal->code == "SERVER_NOT_HTTPS");
    check_message(r.refusal->message_zh);
    check_message(r.refusal->message_en);
    return 0;
  }
  const sync::ServerUrl& s = *r.server;
  FUZZ_CHECK(s.scheme == "https" || s.scheme == "http");
  FUZZ_CHECK(!s.host.empty());
  // What is stored and connected to says the same when parsed again: same host, no user name
  // or password, no query or fragment, and the check accepts it as it is.
  std::unique_ptr<CURLU, UrlCleanup> u(curl_url());
  FUZZ_CHECK(curl_url_set(u.get(), CURLUPART_URL, s.url.c_str(), 0) == CURLUE_OK);
  FUZZ_CHECK(part(u.get(), CURLUPART_SCHEME) == s.scheme);
  FUZZ_CHECK(part(u.get(), CURLUPART_HOST) == s.host);
  FUZZ_CHECK(!part(u.get(), CURLUPART_USER) && !part(u.get(), CURLUPART_PASSWORD));
  FUZZ_CHECK(!part(u.get(), CURLUPART_QUERY) && !part(u.get(), CURLUPART_FRAGMENT));
  const sync::ServerUrlCheck again = sync::check_server_url(s.url);
  FUZZ_CHECK(again.server && again.server->url == s.url && again.server->host == s.host);
  // Plain http: this machine, by name or by number.
  if (s.scheme == "http") FUZZ_CHECK(lower_equal(s.host, "localhost") || numeric_loopback(s.host));
  // Accepted text never held a NUL or a control character for libcurl to stop at.
  for (const char c : text) FUZZ_CHECK(static_cast<unsigned char>(c) > 0x20 && c != 0x7f);
  return 0;
}
