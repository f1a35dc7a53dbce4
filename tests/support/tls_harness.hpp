#pragma once
// TLS in front of the sandbox for the sync tests: certificates made with the openssl CLI and
// nginx terminating TLS with client certificates required, all on loopback.
#include <string>
#include <vector>

#include "process.hpp"

namespace hn::test {

// `openssl ARGS...`; its stdout. The test stops when openssl fails.
std::string openssl(const std::vector<std::string>& args);
// libcurl's CURLOPT_PINNEDPUBLICKEY form of a DER public key: "sha256//" + base64(sha256(DER)).
std::string pin_of_der(const std::string& der);
// A CA, the server's certificate for 127.0.0.1 (and no other name) and the outlet's client
// certificate, in the directory `d` (ending in '/'): ca.crt, server.crt/.key, client.crt/.key.
void make_certificates(const std::string& d);
// nginx on 127.0.0.1:`port`: TLS with the server certificate, client certificates signed by
// the CA required, proxying to the sandbox on `upstream`. Returns once it accepts connections.
Child start_nginx(const std::string& d, int port, int upstream);

}  // namespace hn::test
