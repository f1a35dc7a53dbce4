#include "province_harness.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "app/paths.hpp"

namespace hn::test {

std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t query(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  std::int64_t n = -1;
  if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(h);
  return n;
}

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

sync::SyncService::Options fast_retries() {
  sync::SyncService::Options o;
  o.timeout = std::chrono::milliseconds(2000);
  o.backoff_base = std::chrono::milliseconds(20);
  o.backoff_cap = std::chrono::milliseconds(400);
  return o;
}

int report_count(const nlohmann::json& report, const std::string& outlet, const std::string& field) {
  for (const auto& o : report["outlets"])
    if (o["code"] == outlet) return o.value(field, 0);
  return -1;
}

std::string tv_card(int n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "7701%016d", n);
  return buf;
}

std::string tv_serial(int n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "SYNC-%07d", n);
  return buf;
}

std::string sandbox(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {HUINONG_SANDBOX_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string out;
  if (run(argv, {}, &out) != 0) throw std::runtime_error("huinong-sandbox " + args[0] + " failed: " + out);
  return out;
}

Province::Province(const std::string& dir) : dir_(dir), db_(dir + "/province.db"), log_(dir + "/sandbox.log") {
  sandbox({"catalog", "import", "--db", db_, std::string(HUINONG_TEST_ASSETS_DIR) + "/demo/catalog.csv"});
}

Province::~Province() { stop(); }

std::string Province::add_outlet(const std::string& code, int first, int cards, const std::string& cards_csv) {
  const std::string cred = dir_ + "/cred-" + code;
  sandbox({"outlet", "add", "--db", db_, "--code", code, "--name", "网点 " + code, "--county", "341322",
           "--out", cred});
  std::ofstream out(cards_csv);
  out << "card_no,serial_no,model_code\n";
  for (int i = first; i < first + cards; ++i) out << tv_card(i) << "," << tv_serial(i) << ",HISENSE-TLM26V68\n";
  out.close();
  sandbox({"cards", "issue", "--db", db_, cards_csv, "--outlet", code});
  return cred;
}

void Province::serve(const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {HUINONG_SANDBOX_BIN, "serve", "--db", db_, "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  std::remove(log_.c_str());
  server_ = spawn(argv, {}, log_);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < until) {
    const std::string text = read_text(log_);
    const auto at = text.find("listening on 127.0.0.1:");
    if (at != std::string::npos && text.find('\n', at) != std::string::npos) {
      port_ = std::stoi(text.substr(at + 23));
      return;
    }
    if (!server_.running()) throw std::runtime_error("sandbox exited: " + text);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("sandbox did not start: " + read_text(log_));
}

void Province::stop() { server_.terminate(); }

nlohmann::json Province::report() { return nlohmann::json::parse(sandbox({"report", "--db", db_, "--json"})); }

TestTerminal::TestTerminal(const std::string& db, const std::string& outlet_code, const std::string& cards_csv) {
  app::InitOptions o;
  o.outlet_code = outlet_code;
  o.outlet_name = "网点 " + outlet_code;
  o.county = "341322";
  o.manager_login = "wang";
  o.manager_name = "王店长";
  o.manager_pin = "1234";
  o.assets_dir = HUINONG_TEST_ASSETS_DIR;
  if (!app::Terminal::init(db, o, clock)) throw std::runtime_error("init failed");
  t = app::Terminal::open(db, clock);
  manager = t->authenticate("wang", "1234").value();
  if (!t->add_user(manager, "li", "李", store::Role::Clerk, "5678")) throw std::runtime_error("add_user failed");
  clerk = t->authenticate("li", "5678").value();
  const auto catalog = app::read_input_file(std::string(HUINONG_TEST_ASSETS_DIR) + "/demo/catalog.csv", files::Kind::CatalogCsv);
  if (!catalog || !t->import_catalog(manager, catalog.value(), "catalog.csv")) throw std::runtime_error("catalog failed");
  const auto cards = app::read_input_file(cards_csv, files::Kind::CardsCsv);
  if (!cards) throw std::runtime_error("cards failed: " + cards.problem().message_en);
  const auto r = t->receive_cards(manager, cards.value(), cards_csv);
  if (!r) throw std::runtime_error("cards failed: " + r.problem().message_en);
}

bool TestTerminal::sell_tv(const std::string& card, const std::string& household) {
  Cart cart;
  cart.buyer = {"张三", "341322198001011239", household, Hukou::Agricultural, std::nullopt};
  cart.items.push_back({card, "", 199900});
  const auto r = t->checkout(clerk, cart);
  return r && r->sale;
}

}  // namespace hn::test
