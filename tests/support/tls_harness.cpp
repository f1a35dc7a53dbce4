#include "tls_harness.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

namespace hn::test {

namespace {
std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

bool accepts_connections(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}
}  // namespace

std::string openssl(const std::vector<std::string>& args) {
  const std::string bin = find_program("openssl");
  REQUIRE(!bin.empty());
  std::vector<std::string> argv = {bin};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string out;
  const int rc = run(argv, {}, &out);
  INFO("openssl " << args.front() << ": " << out);
  REQUIRE(rc == 0);
  return out;
}

std::string pin_of_der(const std::string& der) {
  openssl({"dgst", "-sha256", "-binary", "-out", der + ".sha256", der});
  return "sha256//" + trimmed(openssl({"base64", "-A", "-in", der + ".sha256"}));
}

void make_certificates(const std::string& d) {
  openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Huinong Test CA",
           "-keyout", d + "ca.key", "-out", d + "ca.crt"});
  std::ofstream(d + "san.cnf") << "subjectAltName=IP:127.0.0.1\n";
  for (const std::string who : {"server", "client"}) {
    openssl({"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + who, "-keyout", d + who + ".key", "-out",
             d + who + ".csr"});
    std::vector<std::string> sign = {"x509", "-req", "-in", d + who + ".csr", "-CA", d + "ca.crt", "-CAkey",
                                     d + "ca.key", "-CAcreateserial", "-days", "2", "-out", d + who + ".crt"};
    if (who == "server") sign.insert(sign.end(), {"-extfile", d + "san.cnf"});
    openssl(sign);
  }
}

Child start_nginx(const std::string& d, int port, int upstream) {
  const std::string nginx = find_program("nginx").empty() ? "/usr/sbin/nginx" : find_program("nginx");
  std::ofstream(d + "nginx.conf")
      << "daemon off; master_process off; worker_processes 1; pid " << d << "nginx.pid;\n"
      << "error_log " << d << "nginx-error.log;\n"
      << "events { worker_connections 64; }\n"
      << "http { access_log off; client_body_temp_path " << d << "; proxy_temp_path " << d << ";\n"
      << " fastcgi_temp_path " << d << "; uwsgi_temp_path " << d << "; scgi_temp_path " << d << ";\n"
      << " server { listen 127.0.0.1:" << port << " ssl;\n"
      << "  ssl_certificate " << d << "server.crt; ssl_certificate_key " << d << "server.key;\n"
      << "  ssl_client_certificate " << d << "ca.crt; ssl_verify_client on;\n"
      << "  location / { proxy_pass http://127.0.0.1:" << upstream << "; proxy_http_version 1.1;\n"
      << "    proxy_set_header Connection \"\"; } } }\n";
  Child server = spawn({nginx, "-p", d, "-c", d + "nginx.conf"}, {}, d + "nginx.out");
  // Up when it accepts a connection; a generous bound for a loaded machine.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (server.running() && !accepts_connections(port) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  INFO(read_text(d + "nginx.out") + read_text(d + "nginx-error.log"));
  REQUIRE(server.running());
  REQUIRE(accepts_connections(port));
  return server;
}

}  // namespace hn::test
