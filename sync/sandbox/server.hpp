#pragma once
// `huinong-sandbox serve`: sync/PROTOCOL.md over HTTP (or HTTPS with an optional client CA) on
// loopback, every request's signature checked, answered from a Province.
#include <cstdio>
#include <string>

namespace hn::sandbox {

struct ServeOptions {
  std::string db_path;
  std::string assets_dir;
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port, printed on the first line of stdout
  std::string tls_cert;
  std::string tls_key;
  std::string client_ca;  // when set, a client certificate signed by it is required
  bool quiet = false;     // no access log on stderr
};

// True for 127.0.0.0/8, ::1 and "localhost": the only addresses served without --allow-remote.
bool is_loopback_host(const std::string& host);

// Serves until SIGTERM or SIGINT; prints "listening on HOST:PORT" (flushed) once bound.
// Returns the process exit code: 0 after a clean stop, 2 when the address (a port already in
// use included: it is never shared) or the TLS files cannot be used (message on stderr), 1 on
// an internal error. Requests are limited as PROTOCOL.md "Limits" says.
int serve(const ServeOptions& options);

}  // namespace hn::sandbox
