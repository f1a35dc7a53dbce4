#pragma once
// The sandbox under test: the real huinong-sandbox binary run as child processes on a SQLite
// file in a temp directory, `serve` on 127.0.0.1:0, and a small signed HTTP client.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "process.hpp"
#include "protocol/protocol.hpp"
#include "sandbox_process.hpp"
#include "temp_dir.hpp"

namespace hn::test {

std::string sandbox_bin();
std::string assets_dir();
std::int64_t now_unix();

// A valid 18-digit ID number of county 341322, different for each n.
std::string valid_id(int n);

struct Item {
  std::string card;
  std::string serial;
  std::string model;
  Category category = Category::Tv;
  Fen price = 0;
};

// A sale as the terminal sends it: built as a store::SaleRecord and put on the wire with
// sync::sale_to_wire, the function the client uses.
nlohmann::json wire_sale(const std::string& uuid, const std::string& household, int buyer,
                         const std::vector<Item>& items, const std::string& date = "2026-11-27");
nlohmann::json sales_body(const std::vector<nlohmann::json>& sales);

struct Reply {
  int status = 0;  // 0: no answer (connection or TLS failure)
  nlohmann::json body;
  std::string raw;
  httplib::Error error = httplib::Error::Success;
};

// Signs every request with the outlet's credential (PROTOCOL.md "Every request is signed").
class SignedClient {
 public:
  SignedClient(const sync::Credential& credential, const std::string& base_url);
  httplib::Client& http() { return *http_; }
  // Signed now + `clock_offset` seconds.
  Reply post(const std::string& path, const std::string& body, std::int64_t clock_offset = 0);
  Reply post(const std::string& path, const nlohmann::json& body) { return post(path, body.dump()); }
  Reply get(const std::string& path);
  // Sends exactly these headers and body (replays, altered bodies).
  Reply send(const std::string& method, const std::string& path, const std::string& body,
             const httplib::Headers& headers);
  httplib::Headers headers_for(const std::string& method, const std::string& path,
                               const std::string& body, std::int64_t clock_offset = 0) const;

 private:
  sync::Credential credential_;
  std::unique_ptr<httplib::Client> http_;
};

class Sandbox {
 public:
  // A fresh database with the demo catalog (assets/demo/catalog.csv).
  Sandbox();
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  const std::string& db() const { return db_; }
  TempDir& dir() { return dir_; }
  // Runs `huinong-sandbox ARGS...`; stdout+stderr into `out`.
  int cli(const std::vector<std::string>& args, std::string* out = nullptr);
  sync::Credential add_outlet(const std::string& code, const std::string& county = "341322");
  // Issues label cards {card_no, serial_no, model_code} to the outlet; REQUIREs success.
  void issue_cards(const std::string& outlet, const std::vector<std::array<std::string, 3>>& cards);
  // Starts `serve` on 127.0.0.1:0 and waits for its "listening on" line.
  void start(const std::vector<std::string>& extra = {});
  void stop();  // SIGTERM; returns when the process has exited
  int stop_status();
  int port() const { return port_; }
  pid_t pid() const { return server_.pid(); }  // of `serve`, for /proc/PID/status
  // https when `serve` was started with --tls-cert.
  std::string url() const {
    return (tls_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_);
  }
  std::string log() const;
  SignedClient client(const sync::Credential& c) { return SignedClient(c, url()); }
  nlohmann::json report();

 private:
  TempDir dir_;
  std::string db_;
  Child server_;
  int port_ = 0;
  bool tls_ = false;
  int last_status_ = -1;
  int logs_ = 0;
  std::string log_;
};

}  // namespace hn::test
