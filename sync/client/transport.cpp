#include "sync/client/transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "sync/client/link_checks.hpp"

namespace hn::sync {

bool retryable(const HttpResponse& r) {
  return (r.status == 0 && !r.untrusted) || r.status == 408 || r.status == 429 || r.status >= 500;
}

namespace {
std::once_flag g_curl_init;

size_t collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}
}  // namespace

CurlTransport::CurlTransport(const std::string& base_url, TlsOptions tls) : tls_(std::move(tls)) {
  // The last line of defence: whatever made this transport, it talks only to an address the
  // terminal accepts, as libcurl parsed it.
  const ServerUrlCheck checked = check_server_url(base_url);
  if (!checked.server) throw LinkRefused(*checked.refusal);
  base_url_ = checked.server->url;
  scheme_ = checked.server->scheme;
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  handle_ = curl_easy_init();
  if (!handle_) throw std::runtime_error("curl_easy_init failed");
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

CurlTransport::~CurlTransport() { curl_easy_cleanup(static_cast<CURL*>(handle_)); }

HttpResponse CurlTransport::request(const std::string& method, const std::string& path,
                                    const std::string& body,
                                    const std::vector<std::pair<std::string, std::string>>& headers,
                                    std::chrono::milliseconds timeout) {
  CURL* h = static_cast<CURL*>(handle_);
  // Reset per request, keeping the connection cache: the next request reuses the connection.
  curl_easy_reset(h);
  HttpResponse r;
  const std::string url = base_url_ + path;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  // This scheme only, and no redirect: an answer cannot send the next request elsewhere.
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, scheme_.c_str());
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  // Plain http is for this machine: a proxy from the environment (http_proxy) would carry
  // buyers' data across the network in clear. Over https a proxy only sees a tunnel.
  if (scheme_ == "http") curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long long>(timeout.count(), 5000)));
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  if (!tls_.ca_cert.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, tls_.ca_cert.c_str());
  if (!tls_.client_cert.empty()) curl_easy_setopt(h, CURLOPT_SSLCERT, tls_.client_cert.c_str());
  if (!tls_.client_key.empty()) curl_easy_setopt(h, CURLOPT_SSLKEY, tls_.client_key.c_str());
  if (!tls_.pinned_public_key.empty())
    curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, tls_.pinned_public_key.c_str());
  curl_slist* list = nullptr;
  for (const auto& [name, value] : headers) list = curl_slist_append(list, (name + ": " + value).c_str());
  list = curl_slist_append(list, "Content-Type: application/json");
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip for larger batches
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  if (method == "POST") {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  } else {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.body);
  const CURLcode rc = curl_easy_perform(h);
  curl_slist_free_all(list);
  if (rc != CURLE_OK) {
    r.status = 0;
    r.error = curl_easy_strerror(rc);
    r.untrusted = rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH || rc == CURLE_PEER_FAILED_VERIFICATION;
    r.body.clear();
    return r;
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
  return r;
}

std::chrono::milliseconds Backoff::delay(int attempt) {
  const int shift = std::min(attempt, 20);
  const long long ceiling = std::min<long long>(cap_.count(), base_.count() * (1LL << shift));
  std::uniform_int_distribution<long long> pick(0, std::max(0LL, ceiling));
  return std::chrono::milliseconds(pick(rng_));
}

}  // namespace hn::sync
