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

// The server is not who it should be, or cannot be checked: say so and what to check. Decided
// on curl's code and the TLS library's verification result, not on curl's words.
void explain_distrust(CURL* h, CURLcode rc, const TlsOptions& tls, const std::string& host, const char* detail,
                      HttpResponse& r) {
  const std::string ca = tls.ca_cert.empty() ? "系统证书库" : tls.ca_cert;
  const std::string ca_en = tls.ca_cert.empty() ? "the system's CA store" : tls.ca_cert;
  const std::string why = *detail ? " (" + quoted_for_message(detail, 120) + ")" : "";
  long verify_result = 0;
  curl_easy_getinfo(h, CURLINFO_SSL_VERIFYRESULT, &verify_result);
  r.untrusted = true;
  if (rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH) {
    r.check_zh = "服务器的公钥不是上传设置固定的公钥(--pin-public-key):请向省平台核对其公钥,再由店长重新运行 huinong sync setup";
    r.check_en = "the server's public key is not the one pinned in the sync setup (--pin-public-key): check the "
                 "key with the province, then a manager runs huinong sync setup again";
  } else if (rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_CRL_BADFILE) {
    r.check_zh = "无法读取用来核验服务器的证书 " + ca + why + ":请检查网点凭据中的 ca.crt";
    r.check_en = "the certificates the server is checked against, " + ca_en + ", cannot be read" + why +
                 ": check ca.crt in the outlet credential";
  } else if (rc == CURLE_PEER_FAILED_VERIFICATION && verify_result <= 1) {
    // OpenSSL accepted the chain (its own errors are 2 and up): what failed is the name. curl
    // checks the name before it records OpenSSL's verdict, and until then holds 1 (!X509_V_OK).
    r.check_zh = "服务器证书上没有主机名 '" + quoted_for_message(host) + "'" + why +
                 ":请核对上传设置中的服务器地址是否就是省平台证书上的主机名";
    r.check_en = "the server's certificate does not name the host '" + quoted_for_message(host) + "'" + why +
                 ": check that the server address in the sync setup is the host name on the province's "
                 "certificate";
  } else {
    r.check_zh = "服务器证书未能由 " + ca + " 验证" + why + ":请核对网点凭据中的 ca.crt 是否为省平台的 CA 证书";
    r.check_en = "the server's certificate does not verify against " + ca_en + why +
                 ": check that ca.crt in the outlet credential is the province's CA certificate";
  }
}

bool is_distrust(CURLcode rc) {
  switch (rc) {
    case CURLE_PEER_FAILED_VERIFICATION:  // also CURLE_SSL_CACERT: chain or name
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return true;
    default:
      return false;
  }
}
}  // namespace

CurlTransport::CurlTransport(const std::string& base_url, TlsOptions tls) : tls_(std::move(tls)) {
  // The last line of defence: whatever made this transport, it talks only to an address the
  // terminal accepts, as libcurl parsed it.
  const ServerUrlCheck checked = check_server_url(base_url);
  if (!checked.server) throw LinkRefused(*checked.refusal);
  base_url_ = checked.server->url;
  scheme_ = checked.server->scheme;
  host_ = checked.server->host;
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
  char detail[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, detail);
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
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);  // `detail` ends with this call
  curl_slist_free_all(list);
  if (rc != CURLE_OK) {
    r.status = 0;
    r.error = curl_easy_strerror(rc);
    if (is_distrust(rc)) explain_distrust(h, rc, tls_, host_, detail, r);
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
