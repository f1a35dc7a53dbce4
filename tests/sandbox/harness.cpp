#include "harness.hpp"

#include <signal.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include "core/id_number.hpp"
#include "core/money.hpp"
#include "store/store.hpp"
#include "sync/client/sale_wire.hpp"

namespace hn::test {

namespace {
// A TLS peer that hangs up mid-handshake (the refused client certificate) must fail the
// request, not kill the test process: writes to a closed socket report EPIPE instead.
const bool kSigpipeIgnored = [] { return ::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();
}  // namespace

std::string sandbox_bin() { return HUINONG_SANDBOX_BIN; }
std::string assets_dir() { return HUINONG_TEST_ASSETS_DIR; }

std::int64_t now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string valid_id(int n) {
  // Born 1960-01-01 plus n days (distinct for 60 years of n), sequence 001.
  const Date birth = Date{1960, 1, 1}.plus_days(n % 20000);
  char buf[64];
  std::snprintf(buf, sizeof buf, "341322%04d%02d%02d%03d", birth.year, birth.month, birth.day,
                1 + (n / 20000) % 999);
  const std::string first17(buf);
  return first17 + id_check_character(first17);
}

nlohmann::json wire_sale(const std::string& uuid, const std::string& household, int buyer,
                         const std::vector<Item>& items, const std::string& date) {
  store::SaleRecord s;
  s.uuid = uuid;
  s.invoice_no = buyer + 1;
  s.sold_at = date + "T10:32:05";
  s.sale_date = *parse_iso_date(date);
  s.buyer_name = "张三";
  s.buyer_id = valid_id(buyer);
  s.household = household;
  s.hukou = Hukou::Agricultural;
  s.buyer_county = "341322";
  s.policy_phase = "2008-12";
  int line = 0;
  for (const auto& it : items) {
    store::SaleItemRecord r;
    r.line_no = ++line;
    r.card_no = it.card;
    r.serial_no = it.serial;
    r.model_code = it.model;
    r.category = it.category;
    r.price = it.price;
    r.subsidy = multiply_round_half_up(it.price, 13, 100);  // POLICY S2
    s.total += r.price;
    s.subsidy += r.subsidy;
    s.items.push_back(r);
  }
  return sync::sale_to_wire(s);
}

nlohmann::json sales_body(const std::vector<nlohmann::json>& sales) {
  return {{"sales", sales}};
}

// --- the signed client -------------------------------------------------------------------

SignedClient::SignedClient(const sync::Credential& credential, const std::string& base_url)
    : credential_(credential) {
  if (!credential.client_cert.empty())
    http_ = std::make_unique<httplib::Client>(base_url, credential.client_cert, credential.client_key);
  else
    http_ = std::make_unique<httplib::Client>(base_url);
  if (!credential.ca_cert.empty()) {
    http_->set_ca_cert_path(credential.ca_cert);
    http_->enable_server_certificate_verification(true);
  }
  http_->set_keep_alive(true);
  http_->set_connection_timeout(5);
  http_->set_read_timeout(10);
}

httplib::Headers SignedClient::headers_for(const std::string& method, const std::string& path,
                                           const std::string& body, std::int64_t clock_offset) const {
  const auto h = sync::sign_request(credential_, method, path, body, now_unix() + clock_offset);
  httplib::Headers out;
  for (const auto& [k, v] : h.list()) out.emplace(k, v);
  return out;
}

namespace {
Reply to_reply(httplib::Result r) {
  Reply out;
  out.error = r.error();
  if (!r) return out;
  out.status = r->status;
  out.raw = r->body;
  out.body = nlohmann::json::parse(r->body, nullptr, false);
  return out;
}
}  // namespace

Reply SignedClient::send(const std::string& method, const std::string& path, const std::string& body,
                         const httplib::Headers& headers) {
  if (method == "GET") return to_reply(http_->Get(path, headers));
  return to_reply(http_->Post(path, headers, body, "application/json"));
}

Reply SignedClient::post(const std::string& path, const std::string& body, std::int64_t clock_offset) {
  return send("POST", path, body, headers_for("POST", path, body, clock_offset));
}

Reply SignedClient::get(const std::string& path) { return send("GET", path, "", headers_for("GET", path, "")); }

// --- the sandbox processes ---------------------------------------------------------------

Sandbox::Sandbox() : db_(dir_.file("province.db")) {
  std::string out;
  const int rc = cli({"catalog", "import", "--db", db_, assets_dir() + "/demo/catalog.csv"}, &out);
  INFO(out);
  REQUIRE(rc == 0);
}

Sandbox::~Sandbox() { stop(); }

int Sandbox::cli(const std::vector<std::string>& args, std::string* out) {
  std::vector<std::string> argv = {sandbox_bin()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, {{"HUINONG_ASSETS_DIR", assets_dir()}}, out);
}

sync::Credential Sandbox::add_outlet(const std::string& code, const std::string& county) {
  const std::string out_dir = dir_.file("cred-" + code);
  std::string out;
  const int rc = cli({"outlet", "add", "--db", db_, "--code", code, "--name", "网点 " + code,
                      "--county", county, "--out", out_dir},
                     &out);
  INFO(out);
  REQUIRE(rc == 0);
  return sync::load_credential(out_dir);
}

void Sandbox::issue_cards(const std::string& outlet,
                          const std::vector<std::array<std::string, 3>>& cards) {
  const std::string file = dir_.file("cards-" + std::to_string(++logs_) + ".csv");
  {
    std::ofstream f(file, std::ios::binary);
    f << "card_no,serial_no,model_code\n";
    for (const auto& c : cards) f << c[0] << "," << c[1] << "," << c[2] << "\n";
  }
  std::string out;
  const int rc = cli({"cards", "issue", "--db", db_, file, "--outlet", outlet}, &out);
  INFO(out);
  REQUIRE(rc == 0);
}

void Sandbox::start(const std::vector<std::string>& extra) {
  stop();
  log_ = dir_.file("serve-" + std::to_string(++logs_) + ".log");
  tls_ = std::find(extra.begin(), extra.end(), "--tls-cert") != extra.end();
  Served served = serve_sandbox(db_, log_, extra, {{"HUINONG_ASSETS_DIR", assets_dir()}});
  server_ = std::move(served.process);
  port_ = served.port;
}

void Sandbox::stop() {
  if (server_.pid() > 0) {
    server_.terminate(std::chrono::milliseconds(5000));
    last_status_ = server_.wait();
  }
}

int Sandbox::stop_status() {
  stop();
  return last_status_;
}

std::string Sandbox::log() const { return read_text(log_); }

nlohmann::json Sandbox::report() {
  std::string out;
  const int rc = cli({"report", "--db", db_, "--json"}, &out);
  INFO(out);
  REQUIRE(rc == 0);
  return nlohmann::json::parse(out);
}

}  // namespace hn::test
