// Backups (DESIGN.md "Data": a daily backup copy, `VACUUM INTO`): `huinong backup` copies the
// database and its key file owner-only, checked and journaled; `huinong restore` puts a checked
// copy back with one command and never overwrites a database unless told to.
#include <unistd.h>

#include <tuple>

#include <catch2/catch.hpp>

#include "cli_harness.hpp"
#include "platform/database.hpp"
#include "store/journal.hpp"
#include "store/migrations.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {
void sell_two(const DemoOutlet& outlet) {
  for (const auto& [name, id, household, card] :
       std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
           {"赵六", d::kIdZhao, d::kHouseholdD, d::kTv1}, {"孙七", d::kIdSun, d::kHouseholdB, d::kFridge1}}) {
    const auto r = outlet.sell(sale_to(name, id, household).item(card + (card == d::kTv1 ? "=1999.00" : "=1799.00")));
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
  }
}

RunResult backup_to(const DemoOutlet& outlet, const std::string& dir) {
  return outlet.as_manager({"--json", "backup", "--user", d::kManager, "--to", dir});
}

RunResult restore(const DemoOutlet& outlet, const std::string& from, const std::string& db, bool force = false) {
  std::vector<std::string> args{"--json", "--db", db, "restore", "--from", from};
  if (force) args.push_back("--force");
  return outlet.run(args);
}

std::int64_t broken_link(const std::string& db) {
  auto store_db = hn::platform::Database::open(db, false, hn::store::terminal_migrations());
  return hn::store::journal_first_broken_link(store_db);
}
}  // namespace

TEST_CASE("a backup restored into a new place opens with the same sales and a sound journal", "[cli][backup]") {
  DemoOutlet outlet;
  sell_two(outlet);
  const auto b = backup_to(outlet, outlet.file("backups"));
  INFO(b.describe());
  REQUIRE(b.exit_code == 0);
  const auto j = b.json();
  const std::string file = j["file"], key = j["key_file"];
  CHECK(contains(file, outlet.file("backups") + "/huinong-"));
  CHECK(key == file + ".key");
  CHECK(j["sales"] == 2);
  CHECK(file_mode(file) == 0600);
  CHECK(file_mode(key) == 0600);
  CHECK(read_file(key) == read_file(outlet.db() + ".key"));
  // Journaled, with the copy's checksum.
  CHECK(outlet.reader().scalar("SELECT COUNT(*) FROM journal WHERE kind = 'backup' AND "
                               "json_extract(body, '$.sha256') = '" + j["sha256"].get<std::string>() + "'") == 1);

  const std::string restored = outlet.file("restored/huinong.db");
  const auto r = restore(outlet, file, restored);
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  CHECK(r.json()["sales"] == 2);
  CHECK(r.json()["last_invoice_no"] == 2);
  CHECK(file_mode(restored) == 0600);
  CHECK(file_mode(restored + ".key") == 0600);
  CHECK(file_mode(restored + ".sign") == 0600);  // the same signing key goes on signing
  CHECK(*read_file(restored + ".sign") == *read_file(outlet.db() + ".sign"));

  // The restored terminal opens (its start-up check passes) and holds the same sales.
  const auto report = outlet.run({"--json", "--db", restored, "report", "daily", "--user", d::kClerk},
                                 {{"HUINONG_PIN", d::kClerkPin}});
  INFO(report.describe());
  REQUIRE(report.exit_code == 0);
  CHECK(report.json()["sales_count"] == 2);
  const std::string uuids = "SELECT uuid || invoice_no || total FROM sales ORDER BY id";
  CHECK(DbReader(restored).column(uuids) == outlet.reader().column(uuids));
  CHECK(DbReader(restored).column("SELECT kind FROM journal ORDER BY seq DESC LIMIT 1") ==
        std::vector<std::string>{"restore"});
  CHECK(broken_link(restored) == 0);
  // It sells on from where the backup ended.
  const auto sold = outlet.run({"--json", "--db", restored, "sale", "--user", d::kClerk, "--buyer-name", "张三",
                                "--buyer-id", d::kIdZhang, "--household", d::kHouseholdA, "--item",
                                std::string(d::kTv3) + "=1999.00"},
                               {{"HUINONG_PIN", d::kClerkPin}});
  INFO(sold.describe());
  CHECK(sold.exit_code == 0);
  CHECK(sold.json()["invoice_no"] == "00000003");
}

TEST_CASE("restore never overwrites a database unless forced, and then keeps the old one", "[cli][backup]") {
  DemoOutlet outlet;
  sell_two(outlet);
  const auto b = backup_to(outlet, outlet.file("backups"));
  REQUIRE(b.exit_code == 0);
  const std::string file = b.json()["file"];
  const auto before = read_file(outlet.db());

  const auto refused = restore(outlet, file, outlet.db());
  INFO(refused.describe());
  CHECK(refused.exit_code == 2);
  CHECK(error_of(refused.json())["code"] == "DATABASE_EXISTS");
  CHECK(read_file(outlet.db()) == before);

  const auto forced = restore(outlet, file, outlet.db(), true);
  INFO(forced.describe());
  REQUIRE(forced.exit_code == 0);
  const std::string aside = forced.json()["set_aside"];
  CHECK(file_exists(aside));
  CHECK(file_exists(aside + ".key"));
  CHECK(outlet.reader().count("sales") == 2);
  CHECK(broken_link(outlet.db()) == 0);
}

TEST_CASE("restore refuses a damaged backup, a missing key file and a missing backup", "[cli][backup]") {
  DemoOutlet outlet;
  sell_two(outlet);
  const auto b = backup_to(outlet, outlet.file("backups"));
  REQUIRE(b.exit_code == 0);
  const std::string file = b.json()["file"];
  const std::string target = outlet.file("restored.db");

  SECTION("a journal row changed in the copy") {
    tamper(file, "DROP TRIGGER journal_no_update; UPDATE journal SET user_login = 'x' WHERE seq = 3");
    const auto r = restore(outlet, file, target);
    INFO(r.describe());
    CHECK(r.exit_code == 5);
    CHECK(error_of(r.json())["code"] == "BACKUP_DAMAGED");
    CHECK(contains(error_of(r.json())["message_en"].get<std::string>(), "journal entry 3"));
  }
  SECTION("a copy cut short") {
    const auto bytes = read_file(file);
    write_file(file, bytes->substr(0, bytes->size() / 2));
    const auto r = restore(outlet, file, target);
    INFO(r.describe());
    CHECK(r.exit_code == 5);
    CHECK(error_of(r.json())["code"] == "BACKUP_DAMAGED");
  }
  SECTION("not a database at all") {
    write_file(file, std::string(8192, 'x'));
    const auto r = restore(outlet, file, target);
    INFO(r.describe());
    CHECK(r.exit_code == 5);
  }
  SECTION("without its key file") {
    REQUIRE(::unlink((file + ".key").c_str()) == 0);
    const auto r = restore(outlet, file, target);
    INFO(r.describe());
    CHECK(r.exit_code == 2);
    CHECK(error_of(r.json())["code"] == "BACKUP_KEY_MISSING");
  }
  SECTION("with another terminal's key file") {
    OutletOptions fresh;
    fresh.fresh = true;
    DemoOutlet other(fresh);
    write_file(file + ".key", *read_file(other.db() + ".key"));
    const auto r = restore(outlet, file, target);
    INFO(r.describe());
    CHECK(r.exit_code == 2);
    CHECK(error_of(r.json())["code"] == "BACKUP_KEY_MISMATCH");
  }
  SECTION("no such backup") {
    const auto r = restore(outlet, outlet.file("none.db"), target);
    CHECK(r.exit_code == 2);
  }
  CHECK_FALSE(file_exists(target));
  CHECK_FALSE(file_exists(target + ".key"));
  CHECK_FALSE(file_exists(target + ".restoring"));
}

TEST_CASE("backup.dir set by a manager is where backups go, and clerks may not back up", "[cli][backup]") {
  DemoOutlet outlet;
  const auto none = outlet.as_manager({"--json", "backup", "--user", d::kManager});
  INFO(none.describe());
  CHECK(none.exit_code == 2);
  CHECK(error_of(none.json())["code"] == "BACKUP_DIR_MISSING");

  const auto relative = outlet.as_manager({"--json", "setting", "set", "--user", d::kManager, "--key", "backup.dir",
                                           "--value", "backups"});
  CHECK(relative.exit_code == 2);
  const std::string dir = outlet.file("usb/huinong");
  const auto set = outlet.as_manager({"--json", "setting", "set", "--user", d::kManager, "--key", "backup.dir",
                                      "--value", dir});
  INFO(set.describe());
  REQUIRE(set.exit_code == 0);
  const auto b = outlet.as_manager({"--json", "backup", "--user", d::kManager});
  INFO(b.describe());
  REQUIRE(b.exit_code == 0);
  CHECK(contains(b.json()["file"].get<std::string>(), dir + "/huinong-"));
  CHECK((file_mode(dir) & 077) == 0);

  const auto clerk = outlet.as_clerk({"--json", "backup", "--user", d::kClerk});
  CHECK(clerk.exit_code == 4);
}
