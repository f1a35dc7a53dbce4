#pragma once
// HTTP to the provincial system over libcurl: one easy handle per transport, so consecutive
// requests reuse one kept-alive connection; TLS verification always on; the outlet's client
// certificate; optional public-key pinning. Only to an address check_server_url accepts
// (link_checks.hpp), and only there: no redirects, no other scheme, no proxy for plain http.
#include <chrono>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace hn::sync {

struct HttpResponse {
  long status = 0;     // 0: no HTTP answer (connection refused, reset, timeout, TLS failure)
  std::string body;
  std::string error;   // curl's words when status is 0
  // The server is not who it should be: its certificate does not verify or its key is not the
  // pinned one. Possibly an interception: never retried as if the network had dropped.
  bool untrusted = false;
  // When untrusted: what a person checks, naming the setting or file at fault.
  std::string check_zh;
  std::string check_en;
};

// Worth trying again later: no answer at all, 408, 429 or any 5xx (PROTOCOL.md "Errors").
bool retryable(const HttpResponse& r);

struct TlsOptions {
  std::string ca_cert;            // the CA that signed the server's certificate; else the system's
  std::string client_cert;        // PEM, when the server asks for one (mTLS)
  std::string client_key;
  std::string pinned_public_key;  // "sha256//BASE64" or a PEM/DER file, when pinning
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual HttpResponse request(const std::string& method, const std::string& path,
                               const std::string& body,
                               const std::vector<std::pair<std::string, std::string>>& headers,
                               std::chrono::milliseconds timeout) = 0;
};

class CurlTransport final : public Transport {
 public:
  // Throws LinkRefused when check_server_url refuses `base_url`.
  CurlTransport(const std::string& base_url, TlsOptions tls);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;
  HttpResponse request(const std::string& method, const std::string& path, const std::string& body,
                       const std::vector<std::pair<std::string, std::string>>& headers,
                       std::chrono::milliseconds timeout) override;

 private:
  std::string base_url_;  // as libcurl parsed it, without a trailing '/'
  std::string scheme_;    // "https", or "http" to this machine only
  std::string host_;
  TlsOptions tls_;
  void* handle_;  // CURL*
};

// Exponential backoff with full jitter: a uniform delay in [0, min(cap, base * 2^attempt)].
class Backoff {
 public:
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, unsigned seed = std::random_device{}())
      : base_(base), cap_(cap), rng_(seed) {}
  std::chrono::milliseconds delay(int attempt);

 private:
  std::chrono::milliseconds base_, cap_;
  std::mt19937_64 rng_;
};

}  // namespace hn::sync
