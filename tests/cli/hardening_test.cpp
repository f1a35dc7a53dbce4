// Hardening (issue 14): what a careless technician, a broken disk or someone with the files can
// do to a terminal, and how `huinong` refuses it. Every case runs the real binary on a real
// demo outlet, changes the files as a person could (another key file, an emptied database,
// rows edited with SQL), and checks the refusal (code, exit status, both languages) and that
// nothing was written.
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cli_harness.hpp"
#include "store/journal.hpp"
#include "platform/signing.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {
// Every byte of the database, its log and its head file: "nothing was written".
std::string files_of(const std::string& db) {
  return read_file(db).value_or("") + "|wal|" + read_file(db + "-wal").value_or("") + "|head|" +
         read_file(db + ".head").value_or("");
}

RunResult sell_tv(const DemoOutlet& o, const char* card = d::kTv2) {
  return o.sell(sale_to("孙七", d::kIdSun, d::kHouseholdB).item(std::string(card) + "=1999.00"));
}

void expect_refusal(const RunResult& r, int exit_code, const std::string& code) {
  INFO(r.describe());
  CHECK(r.exit_code == exit_code);
  const auto e = error_of(r.json());
  CHECK(e["code"] == code);
  CHECK(has_cjk(e["message_zh"].get<std::string>()));
  CHECK_FALSE(e["message_en"].get<std::string>().empty());
}

const char* kNoJournalDelete =
    "CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal "
    "BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;";
}  // namespace

TEST_CASE("another outlet's key file over this one's is refused with KEY_MISMATCH and nothing is written",
          "[cli][hardening]") {
  DemoOutlet outlet;
  REQUIRE(sell_tv(outlet, d::kTv1).exit_code == 0);
  DemoOutlet other(OutletOptions{std::nullopt, true});
  write_file(outlet.db() + ".key", *read_file(other.db() + ".key"));
  ::chmod((outlet.db() + ".key").c_str(), 0600);
  const std::string before = files_of(outlet.db());

  const auto r = sell_tv(outlet);
  expect_refusal(r, 5, "KEY_MISMATCH");
  CHECK(contains(error_of(r.json())["message_en"], "not this database's key"));
  // The household limit cannot be slipped past with another key, and no backup passes either.
  expect_refusal(outlet.as_manager({"--json", "backup", "--user", d::kManager, "--to", outlet.file("bk")}), 5,
                 "KEY_MISMATCH");
  CHECK(files_of(outlet.db()) == before);
  CHECK_FALSE(file_exists(outlet.file("bk")));
}

TEST_CASE("a key file changed by one character is refused with KEY_MISMATCH", "[cli][hardening]") {
  DemoOutlet outlet;
  std::string key = *read_file(outlet.db() + ".key");
  const auto at = key.find('\n') + 5;  // a hex digit of the data key
  key[at] = key[at] == 'a' ? 'b' : 'a';
  write_file(outlet.db() + ".key", key);
  ::chmod((outlet.db() + ".key").c_str(), 0600);
  expect_refusal(sell_tv(outlet), 5, "KEY_MISMATCH");
  CHECK(outlet.reader().count("sales") == 0);
}

TEST_CASE("a key file others can read is refused, as ssh refuses such a private key", "[cli][hardening]") {
  DemoOutlet outlet;
  REQUIRE(::chmod((outlet.db() + ".key").c_str(), 0644) == 0);
  const auto r = sell_tv(outlet);
  expect_refusal(r, 2, "KEY_PERMISSIONS");
  CHECK(contains(error_of(r.json())["message_en"], "chmod 600 " + outlet.db() + ".key"));
  CHECK(outlet.reader().count("sales") == 0);
}

TEST_CASE("a 0-byte database is DATABASE_DAMAGED and stays as it is", "[cli][hardening]") {
  DemoOutlet outlet;
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((outlet.db() + suffix).c_str());
  write_file(outlet.db(), "");
  expect_refusal(sell_tv(outlet), 5, "DATABASE_DAMAGED");
  expect_refusal(outlet.as_clerk({"--json", "report", "daily", "--user", d::kClerk}), 5, "DATABASE_DAMAGED");
  CHECK(read_file(outlet.db()) == std::string());
  // init still refuses to overwrite it.
  CHECK(outlet.run({"--json", "init", "--outlet-code", "AH-XX-0002", "--outlet-name", "x", "--county", "341322",
                    "--manager", "wang", "--manager-name", "王"},
                   {{"HUINONG_NEW_PIN", "123456"}})
            .exit_code != 0);
  CHECK(read_file(outlet.db()) == std::string());
}

TEST_CASE("another program's SQLite file at the database's path is never given the terminal's schema",
          "[cli][hardening]") {
  DemoOutlet outlet;
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((outlet.db() + suffix).c_str());
  sqlite3* other = nullptr;
  REQUIRE(sqlite3_open(outlet.db().c_str(), &other) == SQLITE_OK);
  REQUIRE(sqlite3_exec(other, "CREATE TABLE notes(t TEXT); INSERT INTO notes VALUES('mine');", nullptr, nullptr,
                       nullptr) == SQLITE_OK);
  sqlite3_close(other);
  const std::string before = *read_file(outlet.db());
  expect_refusal(sell_tv(outlet), 5, "DATABASE_DAMAGED");
  CHECK(*read_file(outlet.db()) == before);
}

TEST_CASE("without its signing key the terminal sells nothing: SIGNING_KEY_MISSING, exit 5", "[cli][hardening]") {
  DemoOutlet outlet;
  REQUIRE(std::remove((outlet.db() + ".sign").c_str()) == 0);
  const auto r = sell_tv(outlet);
  expect_refusal(r, 5, "SIGNING_KEY_MISSING");
  CHECK(outlet.reader().count("sales") == 0);
  CHECK(outlet.reader().scalar("SELECT COUNT(*) FROM journal WHERE kind = 'sale'") == 0);
}

TEST_CASE("a sales row edited with SQL is DATABASE_DAMAGED naming its invoice", "[cli][hardening]") {
  DemoOutlet outlet;
  REQUIRE(sell_tv(outlet, d::kTv1).exit_code == 0);
  SECTION("the total") { tamper(outlet.db(), "UPDATE sales SET total = 100"); }
  SECTION("a line's price") { tamper(outlet.db(), "UPDATE sale_items SET price = 100"); }
  SECTION("a line's card") { tamper(outlet.db(), "UPDATE sale_items SET serial_no = 'X-1'"); }
  SECTION("a line marked returned") { tamper(outlet.db(), "UPDATE sale_items SET state = 'returned'"); }
  const std::string before = files_of(outlet.db());
  const auto r = outlet.as_clerk({"--json", "report", "daily", "--user", d::kClerk});
  expect_refusal(r, 5, "DATABASE_DAMAGED");
  CHECK(contains(error_of(r.json())["message_en"], "invoice 00000001"));
  CHECK(contains(error_of(r.json())["message_zh"], "发票 00000001"));
  expect_refusal(sell_tv(outlet), 5, "DATABASE_DAMAGED");
  CHECK(files_of(outlet.db()) == before);
}

TEST_CASE("an export whose invoice disagrees with its journal fails audit verify even when signed",
          "[cli][hardening]") {
  DemoOutlet outlet;
  REQUIRE(sell_tv(outlet, d::kTv1).exit_code == 0);
  const auto exported = outlet.run({"--json", "audit", "export", "--user", d::kManager, "--out", outlet.file("a.json")},
                                   {{"HUINONG_PIN", d::kManagerPin}});
  INFO(exported.describe());
  REQUIRE(exported.exit_code == 0);
  REQUIRE(outlet.run({"--json", "audit", "verify", outlet.file("a.json")}).exit_code == 0);
  // What an export of edited rows by an older terminal looked like: the invoice's total and a
  // line's price changed, the whole file signed again with the terminal's own key.
  auto b = nlohmann::json::parse(*read_file(outlet.file("a.json")));
  b["invoices"][0]["total"] = 100;
  b["invoices"][0]["items"][0]["price"] = 100;
  b.erase("signature");
  b["signature"] = hn::platform::SigningKey::load(outlet.db() + ".sign").sign(hn::store::canonical_json(b));
  write_file(outlet.file("b.json"), b.dump(1));
  const auto r = outlet.run({"--json", "audit", "verify", outlet.file("b.json")});
  INFO(r.describe());
  CHECK(r.exit_code == 5);
  CHECK(contains(r.out, "DATABASE_DAMAGED"));
  CHECK(contains(r.out, "invoice 00000001"));
  CHECK_FALSE(contains(r.out, "BUNDLE_SIGNATURE"));
}

TEST_CASE("deleting the newest sale with the tail of its journal is caught and its number never issued again",
          "[cli][hardening]") {
  DemoOutlet outlet;
  REQUIRE(outlet.sell(sale_to("赵六", d::kIdZhao, d::kHouseholdD).item(std::string(d::kTv1) + "=1999.00")).exit_code == 0);
  REQUIRE(sell_tv(outlet, d::kTv2).exit_code == 0);
  const auto last = outlet.reader().scalar("SELECT MIN(seq) FROM journal WHERE kind = 'sale' AND body LIKE '%00000002%'");
  REQUIRE(last > 0);
  tamper(outlet.db(), "DROP TRIGGER journal_no_delete;"
                      "DELETE FROM outbox WHERE ref_id IN (SELECT id FROM sales WHERE invoice_no = 2);"
                      "UPDATE label_cards SET state = 'in_stock' WHERE card_no IN "
                      "(SELECT card_no FROM sale_items WHERE sale_id IN (SELECT id FROM sales WHERE invoice_no = 2));"
                      "DELETE FROM sale_items WHERE sale_id IN (SELECT id FROM sales WHERE invoice_no = 2);"
                      "DELETE FROM sales WHERE invoice_no = 2;"
                      "DELETE FROM journal WHERE seq >= " + std::to_string(last) + ";" + kNoJournalDelete);
  REQUIRE(outlet.reader().count("sales") == 1);
  const auto r = outlet.sell(sale_to("王五", d::kIdWang, d::kHouseholdC).item(std::string(d::kTv3) + "=1999.00"));
  expect_refusal(r, 5, "DATABASE_DAMAGED");
  CHECK(contains(error_of(r.json())["message_en"], "the terminal recorded entry"));
  CHECK(outlet.reader().scalar("SELECT COUNT(*) FROM sales WHERE invoice_no = 2") == 0);
}

TEST_CASE("a removed head file is refused, and a restore makes it anew without reissuing invoice numbers",
          "[cli][hardening]") {
  DemoOutlet outlet;
  REQUIRE(outlet.as_manager({"--json", "backup", "--user", d::kManager, "--to", outlet.file("bk")}).exit_code == 0);
  REQUIRE(sell_tv(outlet, d::kTv1).exit_code == 0);  // invoice 1, after the backup
  REQUIRE(std::remove((outlet.db() + ".head").c_str()) == 0);
  expect_refusal(sell_tv(outlet, d::kTv2), 5, "DATABASE_DAMAGED");
  REQUIRE(::symlink("/nonexistent", (outlet.db() + ".head").c_str()) == 0);  // no better with a link
  expect_refusal(sell_tv(outlet, d::kTv2), 5, "DATABASE_DAMAGED");
  std::remove((outlet.db() + ".head").c_str());

  // Put the head back from the backup's terminal: restore the backup over the database.
  const auto backups = outlet.reader().column("SELECT json_extract(body, '$.file') FROM journal WHERE kind = 'backup'");
  REQUIRE(backups.size() == 1);
  // The database's own head was lost; a restore over it uses what its rows say (invoice 1).
  const auto restored = outlet.run({"--json", "restore", "--from", backups[0], "--db", outlet.db(), "--force"});
  INFO(restored.describe());
  REQUIRE(restored.exit_code == 0);
  CHECK(file_mode(outlet.db() + ".head") == 0600);
  const auto next = sell_tv(outlet, d::kTv2);
  INFO(next.describe());
  REQUIRE(next.exit_code == 0);
  // Invoice 1 was issued before the restore (its paper exists): the restored terminal goes on at 2.
  CHECK(next.json()["invoice_no"] == "00000002");
}

TEST_CASE("a burst of wrong PINs in parallel compares at most five, then the right PIN is locked out too",
          "[cli][hardening][auth]") {
  DemoOutlet outlet;
  constexpr int kTries = 40;
  std::vector<pid_t> children;
  for (int i = 0; i < kTries; ++i) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      const auto r = outlet.run({"--json", "user", "list", "--user", d::kManager}, {{"HUINONG_PIN", d::kWrongPin}});
      ::_exit(r.exit_code);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
  const auto failures = outlet.reader().scalar("SELECT COUNT(*) FROM journal WHERE kind = 'login_failed'");
  INFO("login_failed entries after " << kTries << " parallel tries: " << failures);
  CHECK(failures == 5);
  CHECK(outlet.reader().scalar("SELECT failed_pins FROM users WHERE login = 'wang'") == 5);
  CHECK(outlet.reader().scalar("SELECT locked FROM users WHERE login = 'wang'") == 1);
  expect_refusal(outlet.as_manager({"--json", "user", "list", "--user", d::kManager}), 4, "USER_LOCKED");
}

TEST_CASE("a locked-out only manager comes back with the recovery code, once", "[cli][hardening][auth]") {
  TempDir dir;
  Env env = base_env(dir.path());
  env["HUINONG_DB"] = dir.file("pos.db");
  env["HUINONG_NEW_PIN"] = "246810";
  const auto init = run_huinong({"--json", "init", "--outlet-code", "AH-XX-0003", "--outlet-name", "测试", "--county",
                                 "341322", "--manager", "wang", "--manager-name", "王店长"},
                                env);
  INFO(init.describe());
  REQUIRE(init.exit_code == 0);
  const std::string code = init.json()["recovery_code"];
  CHECK(code.size() == 19);
  // The code is stored as a slow salted hash, never in clear.
  CHECK_FALSE(contains(*read_file(dir.file("pos.db")), code.substr(0, 4) + code.substr(5, 4)));

  Env wrong = env;
  wrong["HUINONG_PIN"] = "999999";
  for (int i = 0; i < 5; ++i) run_huinong({"--json", "user", "list", "--user", "wang"}, wrong);
  Env right = env;
  right["HUINONG_PIN"] = "246810";
  expect_refusal(run_huinong({"--json", "user", "list", "--user", "wang"}, right), 4, "USER_LOCKED");

  Env recover = env;
  recover["HUINONG_NEW_PIN"] = "135790";
  recover["HUINONG_RECOVERY_CODE"] = "0000-0000-0000-0000";
  expect_refusal(run_huinong({"--json", "user", "recover", "--login", "wang"}, recover), 4, "RECOVERY_CODE_WRONG");
  recover["HUINONG_RECOVERY_CODE"] = code;
  const auto back = run_huinong({"--json", "user", "recover", "--login", "wang"}, recover);
  INFO(back.describe());
  REQUIRE(back.exit_code == 0);
  const std::string next_code = back.json()["recovery_code"];
  CHECK(next_code != code);
  Env fresh = env;
  fresh["HUINONG_PIN"] = "135790";
  CHECK(run_huinong({"--json", "user", "list", "--user", "wang"}, fresh).exit_code == 0);
  // Used once: the same code again is wrong.
  expect_refusal(run_huinong({"--json", "user", "recover", "--login", "wang"}, recover), 4, "RECOVERY_CODE_WRONG");
  DbReader db(dir.file("pos.db"));
  CHECK(db.scalar("SELECT COUNT(*) FROM journal WHERE kind = 'user_recovered'") == 1);
  CHECK(db.scalar("SELECT COUNT(*) FROM journal WHERE kind = 'recovery_failed'") == 2);
}

TEST_CASE("a page damaged in the middle of the database is found at the next open", "[cli][hardening]") {
  DemoOutlet outlet;
  REQUIRE(sell_tv(outlet, d::kTv1).exit_code == 0);
  tamper(outlet.db(), "SELECT 1");  // everything checkpointed into the file
  const auto size = std::filesystem::file_size(outlet.db());
  const std::int64_t pages = static_cast<std::int64_t>(size / 4096);
  REQUIRE(pages > 4);
  // Overwrite a page of an index the daily report never reads with garbage, as a failing
  // disk could: only a check of the file finds it.
  const auto page = outlet.reader().scalar("SELECT rootpage FROM sqlite_master WHERE name = 'sales_by_household'");
  REQUIRE(page > 1);
  {
    std::fstream f(outlet.db(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((page - 1) * 4096 + 8);
    const std::string junk(2000, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  expect_refusal(outlet.as_clerk({"--json", "report", "daily", "--user", d::kClerk}), 5, "DATABASE_DAMAGED");
}
