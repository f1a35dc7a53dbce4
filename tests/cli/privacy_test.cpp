// Personal data at rest (DESIGN.md "Data"): ID and household numbers are encrypted and looked
// up by keyed hash, so their text never lands in the database file; the files are owner-only.
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
