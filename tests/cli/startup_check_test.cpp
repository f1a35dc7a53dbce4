// The start-up check (DESIGN.md "Data"): a terminal database whose journal chain no longer holds
// is not used. `huinong` stops with exit 5 (verification failed), says in both languages what
// is damaged and which command restores the last backup, and writes nothing.
#include <catch2/catch.hpp>

#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {
constexpr const char* kRestoreTrigger =
    "CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal "
    "BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END";

// Every byte of the database and its log, to show nothing was written.
std::string files_of(const DemoOutlet& o) {
  return read_file(o.db()).value_or("") + "|wal|" + read_file(o.db() + "-wal").value_or("");
}

void expect_damaged_and_untouched(const DemoOutlet& outlet, const std::string& seq) {
  const std::string before = files_of(outlet);
  const auto sales_before = outlet.reader().count("sales");
  const auto r = outlet.sell(sale_to("孙七", d::kIdSun, d::kHouseholdB).item(std::string(d::kTv2) + "=1999.00"));
  INFO(r.describe());
  CHECK(r.exit_code == 5);
  const auto e = error_of(r.json());
  CHECK(e["code"] == "DATABASE_DAMAGED");
  const std::string zh = e["message_zh"], en = e["message_en"];
  CHECK(contains(zh, "已损坏"));
  CHECK(contains(zh, "日志第 " + seq + " 条"));
  CHECK(contains(en, "journal entry " + seq + " does not match its hash chain"));
  CHECK(contains(en, "huinong restore --from "));
  CHECK(contains(en, "--db " + outlet.db() + " --force"));

  // Without --json: both languages on stderr, the same exit code.
  const auto text = outlet.as_clerk({"report", "daily", "--user", d::kClerk});
  INFO(text.describe());
  CHECK(text.exit_code == 5);
  CHECK(contains(text.err, "已损坏"));
  CHECK(contains(text.err, "is damaged"));
  CHECK(text.out.empty());

  CHECK(files_of(outlet) == before);
  CHECK(outlet.reader().count("sales") == sales_before);
}
}  // namespace

TEST_CASE("a journal entry changed behind the terminal's back stops huinong and nothing is written", "[cli][startup]") {
  DemoOutlet outlet;
  const auto sold = outlet.sell(sale_to("赵六", d::kIdZhao, d::kHouseholdD).item(std::string(d::kTv1) + "=1999.00"));
  INFO(sold.describe());
  REQUIRE(sold.exit_code == 0);
  const auto seq = outlet.reader().column("SELECT seq FROM journal WHERE kind = 'sale'");
  REQUIRE(seq.size() == 1);
  // The append-only trigger has to go first, as it would for anyone editing the file.
  tamper(outlet.db(), "DROP TRIGGER journal_no_update;"
                      "UPDATE journal SET body = replace(body, '\"total\":199900', '\"total\":100') WHERE kind = 'sale';" +
                          std::string(kRestoreTrigger));
  REQUIRE(outlet.reader().count("journal") > 0);
  expect_damaged_and_untouched(outlet, seq[0]);
}

TEST_CASE("a byte flipped on disk inside a journal row stops huinong", "[cli][startup]") {
  DemoOutlet outlet;
  tamper(outlet.db(), "SELECT 1");  // everything into the main file: the -wal goes away
  REQUIRE_FALSE(file_exists(outlet.db() + "-wal"));
  auto bytes = read_file(outlet.db());
  REQUIRE(bytes);
  // The init entry's body names the policy phase; nothing else in the file spells it this way.
  const std::string needle = "\"policy_phase\":\"2008-12\"";
  const auto at = bytes->find(needle);
  REQUIRE(at != std::string::npos);
  (*bytes)[at + needle.size() - 5] = '9';  // 2008-12 -> 2009-12
  write_file(outlet.db(), *bytes);
  const auto init_seq = outlet.reader().column("SELECT seq FROM journal WHERE kind = 'init'");
  REQUIRE(init_seq.size() == 1);
  expect_damaged_and_untouched(outlet, init_seq[0]);
}

TEST_CASE("the last backup is named in the message when backup.dir is set", "[cli][startup]") {
  DemoOutlet outlet;
  const std::string dir = outlet.file("backups");
  const auto set = outlet.as_manager({"--json", "setting", "set", "--user", d::kManager, "--key", "backup.dir", "--value", dir});
  INFO(set.describe());
  REQUIRE(set.exit_code == 0);
  const auto b = outlet.as_manager({"--json", "backup", "--user", d::kManager});
  INFO(b.describe());
  REQUIRE(b.exit_code == 0);
  const std::string file = b.json()["file"];
  tamper(outlet.db(), "DROP TRIGGER journal_no_update; UPDATE journal SET at = '2000-01-01T00:00:00' WHERE seq = 2;" +
                          std::string(kRestoreTrigger));
  const auto r = outlet.as_clerk({"--json", "report", "daily", "--user", d::kClerk});
  INFO(r.describe());
  CHECK(r.exit_code == 5);
  CHECK(contains(error_of(r.json())["message_en"].get<std::string>(),
                 "huinong restore --from " + file + " --db " + outlet.db() + " --force"));
}
