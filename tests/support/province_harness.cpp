#include "province_harness.hpp"

#include <sqlite3.h>

#include <chrono>
#include <stdexcept>


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
  write_tv_cards(cards_csv, first, cards);
  sandbox({"cards", "issue", "--db", db_, cards_csv, "--outlet", code});
  return cred;
}

void Province::serve(const std::vector<std::string>& extra) {
  Served served = serve_sandbox(db_, log_, extra);
  server_ = std::move(served.process);
  port_ = served.port;
}

void Province::stop() { server_.terminate(); }

nlohmann::json Province::report() { return nlohmann::json::parse(sandbox({"report", "--db", db_, "--json"})); }

}  // namespace hn::test
