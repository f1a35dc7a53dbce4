// The province's catalog updates pass the same text check as a catalog file (issue 14, item 3):
// a brand holding ESC p, written into the sandbox's own SQLite file (its import refuses it,
// as the terminal's does), comes down in /updates and is refused whole, nothing applied.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "province_harness.hpp"
#include "app/store_access.hpp"
#include "sync/client/sync_service.hpp"
#include "sync/protocol/protocol.hpp"

using namespace hn;
using namespace hn::test;

namespace {

// Runs `sql` on the sandbox's database file, past the sandbox's own checks.
void write_into(const std::string& db, const std::string& sql) {
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(raw);
    throw std::runtime_error("cannot open " + db);
  }
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> guard(raw, sqlite3_close);
  sqlite3_busy_timeout(raw, 5000);
  char* err = nullptr;
  if (sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error("writing into " + db + " failed: " + msg);
  }
}

}  // namespace

TEST_CASE("a catalog update from the province with a control character in a brand applies nothing",
          "[sync][updates][hardening]") {
  TempDir dir;
  Province province(dir.path());
  const std::string cred = province.add_outlet("AH-XX-0001", 1, 3, dir.file("a.csv"));
  TestTerminal a(dir.file("a.db"), "AH-XX-0001", dir.file("a.csv"));
  province.serve();
  auto client = sync::ProvinceClient::connect(province.url(), sync::load_credential(cred));
  sync::SyncService service(hn::app::store_of(*a.t), *client, unix_ms, fast_retries());
  auto& store = hn::app::store_of(*a.t);
  std::string error;
  REQUIRE(service.pull_updates(error));
  const std::string version = store.settings().get("sync.updates_version").value();
  const auto journal = query(dir.file("a.db"), "SELECT COUNT(*) FROM journal");

  // A good model and a bad one in the same update.
  write_into(province.db(),
             "BEGIN;"
             "UPDATE prov_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'updates_version';"
             "INSERT INTO prov_catalog(model_code, category, brand, name, spec, max_price_fen, valid_from, version) "
             "SELECT 'MIDEA-GOOD-9', 'fridge', '美的', '冰箱', '200升', 249900, '2008-12-01', value "
             "FROM prov_meta WHERE key = 'updates_version';"
             "INSERT INTO prov_catalog(model_code, category, brand, name, spec, max_price_fen, valid_from, version) "
             "SELECT 'PANDA-EVIL-1', 'tv', '熊猫' || char(27) || 'p' || char(0) || char(25), '液晶彩电', '26英寸', "
             "189900, '2008-12-01', value FROM prov_meta WHERE key = 'updates_version';"
             "COMMIT;");

  std::string why;
  CHECK_FALSE(service.pull_updates(why));
  INFO("error: " << why);
  CHECK(why.rfind("BAD_ANSWER: catalog entry PANDA-EVIL-1", 0) == 0);
  CHECK(why.find("TEXT_CONTROL_CHAR") != std::string::npos);
  CHECK(why.find("brand") != std::string::npos);
  CHECK(why.find('\x1b') == std::string::npos);
  CHECK_FALSE(store.catalog().find("PANDA-EVIL-1"));
  CHECK_FALSE(store.catalog().find("MIDEA-GOOD-9"));
  CHECK(store.settings().get("sync.updates_version") == version);
  CHECK(query(dir.file("a.db"), "SELECT COUNT(*) FROM journal") == journal);
}
