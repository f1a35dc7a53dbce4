// Personal data at rest (DESIGN.md "Data"): ID and household numbers are encrypted and looked
// up by keyed hash, so their text never lands in the database file; the files are owner-only.
#include <filesystem>

#include <catch2/catch.hpp>

#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

TEST_CASE("the full ID number and the household number never reach the database files in clear", "[cli][privacy]") {
  DemoOutlet outlet;
  const auto sold = outlet.sell(sale_to("赵六", d::kIdZhao, d::kHouseholdD).item(std::string(d::kTv1) + "=1999.00"));
  INFO(sold.describe());
  REQUIRE(sold.exit_code == 0);
  // A second household member, refused (the household has its TV): read, never written.
  const auto refused = outlet.sell(sale_to("孙七", d::kIdSun, d::kHouseholdD).item(std::string(d::kTv2) + "=1999.00"));
  INFO(refused.describe());
  REQUIRE(refused.exit_code == 3);

  for (const std::string suffix : {"", "-wal", "-journal"}) {
    const auto bytes = read_file(outlet.db() + suffix);
    if (!bytes) continue;
    INFO("file huinong.db" << suffix << " (" << bytes->size() << " bytes)");
    CHECK_FALSE(contains(*bytes, d::kIdZhao));
    CHECK_FALSE(contains(*bytes, d::kIdSun));
    CHECK_FALSE(contains(*bytes, d::kHouseholdD));
  }
  // The sale can still be found again: the masked form is what screens and reports show.
  CHECK(outlet.reader().count("sales") == 1);
}

TEST_CASE("the database and its key file are readable by their owner only", "[cli][privacy]") {
  OutletOptions fresh;
  fresh.fresh = true;  // made by init in this test, not copied from a template
  DemoOutlet outlet(fresh);
  CHECK(file_mode(outlet.db()) == 0600);
  CHECK(file_mode(outlet.db() + ".key") == 0600);
  const auto sold = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00"));
  INFO(sold.describe());
  REQUIRE(sold.exit_code == 0);
  CHECK(file_mode(outlet.db()) == 0600);
  CHECK(file_mode(outlet.db() + ".key") == 0600);
  if (file_exists(outlet.db() + "-wal")) CHECK(file_mode(outlet.db() + "-wal") == 0600);
}

namespace {
// Every regular file under `dir`, recursively.
std::vector<std::string> files_under(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.push_back(e.path().string());
  return out;
}
}  // namespace

TEST_CASE("a planted ID number appears in plain text nowhere: files, backups, reports and lists", "[cli][privacy]") {
  DemoOutlet outlet;
  const auto sold = outlet.sell(sale_to("赵六", d::kIdZhao, d::kHouseholdD).item(std::string(d::kTv1) + "=1999.00"));
  INFO(sold.describe());
  REQUIRE(sold.exit_code == 0);
  CHECK_FALSE(contains(sold.all_output(), d::kIdZhao));  // --json: no invoice text, no ID
  const auto second = outlet.sell(sale_to("赵六", d::kIdZhao, d::kHouseholdD).item(std::string(d::kFridge1) + "=1799.00"));
  INFO(second.describe());
  REQUIRE(second.exit_code == 0);
  // A return, so that the returns list has a row naming this buyer.
  const auto ret = outlet.return_item(second.json()["invoice_no"], d::kFridge1);
  INFO(ret.describe());
  REQUIRE(ret.exit_code == 0);

  const std::string backups = outlet.file("backups");
  const auto set = outlet.as_manager({"--json", "setting", "set", "--user", d::kManager, "--key", "backup.dir", "--value", backups});
  REQUIRE(set.exit_code == 0);
  const auto backup = outlet.as_manager({"--json", "backup", "--user", d::kManager});
  INFO(backup.describe());
  REQUIRE(backup.exit_code == 0);
  const auto restore = outlet.run({"--json", "--db", outlet.file("restored/huinong.db"), "restore", "--from",
                                   backup.json()["file"].get<std::string>()});
  INFO(restore.describe());
  REQUIRE(restore.exit_code == 0);

  std::vector<RunResult> outputs{backup, restore};
  for (const char* format : {"text", "json", "csv"})
    outputs.push_back(outlet.as_clerk({"report", "daily", "--user", d::kClerk, "--format", format}));
  outputs.push_back(outlet.as_clerk({"returns", "list", "--user", d::kClerk, "--state", "all"}));
  outputs.push_back(outlet.as_clerk({"--json", "returns", "list", "--user", d::kClerk, "--state", "all"}));
  outputs.push_back(outlet.as_manager({"tasks", "list", "--user", d::kManager, "--state", "open"}));
  outputs.push_back(outlet.as_manager({"--json", "tasks", "list", "--user", d::kManager}));
  outputs.push_back(outlet.run({"sync", "status"}));
  outputs.push_back(outlet.run({"--json", "sync", "status"}));
  for (const auto& r : outputs) {
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK_FALSE(contains(r.all_output(), d::kIdZhao));
    CHECK_FALSE(contains(r.all_output(), d::kHouseholdD));
  }
  // The report does name the buyer's sales: it is not empty.
  CHECK(contains(outputs[3].out, "\"sales_count\""));

  // Every file the terminal wrote: the database and its log, the backups, the restored copy.
  const auto files = files_under(outlet.dir().path());
  CHECK(files.size() >= 5);
  int backup_files = 0;
  for (const auto& f : files) {
    const auto bytes = read_file(f);
    if (!bytes) continue;
    if (contains(f, "/backups/")) ++backup_files;
    INFO("file " << f << " (" << bytes->size() << " bytes)");
    CHECK_FALSE(contains(*bytes, d::kIdZhao));
    CHECK_FALSE(contains(*bytes, d::kHouseholdD));
  }
  CHECK(backup_files == 3);  // the copy, its key file and the signing key
  // Not checked here: the GUI trace log (`huinong-pos --trace`), which only huinong-pos writes.
}
