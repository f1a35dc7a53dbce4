// `huinong report daily`: the day's figures in JSON, CSV and text; the subsidy split between
// the central budget and the province (POLICY S2).
#include <catch2/catch.hpp>

#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {
// The outlet's local date of its first sale, as stored with the sale.
std::string sale_date(const DemoOutlet& outlet) {
  const auto v = outlet.reader().column("SELECT sale_date FROM sales ORDER BY invoice_no LIMIT 1");
  REQUIRE(v.size() == 1);
  return v[0];
}

RunResult report(const DemoOutlet& outlet, const std::string& date, const char* format) {
  return outlet.as_manager({"report", "daily", "--user", d::kManager, "--date", date, "--format", format});
}

void sell(const DemoOutlet& outlet, const SaleArgs& sale, const char* expected_subsidy) {
  const auto r = outlet.sell(sale);
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  CHECK(r.json().at("subsidy") == expected_subsidy);
}
}  // namespace

TEST_CASE("the daily report in JSON adds up the day's sales and splits the subsidy 80/20", "[cli][report]") {
  DemoOutlet outlet;
  const std::string today = shanghai_date();
  // A TV at 1998.50: 13% is 259.805, rounded half-up to 259.81 (POLICY S2).
  sell(outlet, sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1998.50"), "259.81");
  // A fridge at 1795.00: 13% is 233.35.
  sell(outlet, sale_to("李四", d::kIdLi, d::kHouseholdB).item(std::string(d::kFridge1) + "=1795.00"), "233.35");
  // By hand: total 1998.50 + 1795.00 = 3793.50; subsidy 259.81 + 233.35 = 493.16;
  // central 80% of 493.16 = 394.528 -> 394.53 (half-up; truncating would give 394.52);
  // provincial = 493.16 - 394.53 = 98.63.
  const std::string date = sale_date(outlet);
  const bool same_day = shanghai_date() == today;  // not across midnight in Shanghai
  if (same_day) CHECK(date == today);  // the outlet's local date, Asia/Shanghai
  const auto r = report(outlet, date, "json");
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  const auto j = r.json();
  CHECK(j.at("date") == date);
  CHECK(j.at("sales_count") == 2);
  CHECK(j.at("items_count") == 2);
  CHECK(j.at("total") == "3793.50");
  CHECK(j.at("subsidy") == "493.16");
  CHECK(j.at("subsidy_central") == "394.53");
  CHECK(j.at("subsidy_provincial") == "98.63");
  CHECK(j.at("returns_count") == 0);
  CHECK(j.at("pending_upload") == 2);  // no sync set up: every sale is waiting
  const auto& by = j.at("by_category");
  REQUIRE(by.is_object());
  CHECK(by.size() == 2);
  CHECK(by.at("tv").at("count") == 1);
  CHECK(by.at("tv").at("total") == "1998.50");
  CHECK(by.at("tv").at("subsidy") == "259.81");
  CHECK(by.at("fridge").at("count") == 1);
  CHECK(by.at("fridge").at("total") == "1795.00");
  CHECK(by.at("fridge").at("subsidy") == "233.35");
  // The two shares always add up to the subsidy, to the fen.
  const auto central = fen_of(j.at("subsidy_central")), provincial = fen_of(j.at("subsidy_provincial")),
             subsidy = fen_of(j.at("subsidy"));
  REQUIRE(central);
  REQUIRE(provincial);
  REQUIRE(subsidy);
  CHECK(*central + *provincial == *subsidy);

  // --json alone asks for the JSON report, and without --date it is today's.
  const auto dflt = outlet.as_manager({"--json", "report", "daily", "--user", d::kManager});
  INFO(dflt.describe());
  REQUIRE(dflt.exit_code == 0);
  if (same_day && shanghai_date() == today) {
    CHECK(dflt.json().at("date") == date);
    CHECK(dflt.json().at("total") == "3793.50");
  }
}

TEST_CASE("the daily report comes as CSV with a header line and as text titled 日报", "[cli][report]") {
  DemoOutlet outlet;
  sell(outlet, sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00"), "259.87");
  const std::string date = sale_date(outlet);

  const auto csv = report(outlet, date, "csv");
  INFO(csv.describe());
  REQUIRE(csv.exit_code == 0);
  const auto rows = lines_of(csv.out);
  REQUIRE(rows.size() >= 2);
  CHECK(contains(rows[0], "date"));
  CHECK(contains(rows[0], ","));
  CHECK_FALSE(contains(rows[0], date));  // a header, not data
  CHECK(contains(csv.out, "1999.00"));
  CHECK(contains(csv.out, "259.87"));

  const auto text = report(outlet, date, "text");
  INFO(text.describe());
  REQUIRE(text.exit_code == 0);
  CHECK(contains(text.out, "日报"));
  CHECK(contains(text.out, date));
  CHECK(contains(text.out, "1999.00"));
  CHECK(contains(text.out, "259.87"));
}

TEST_CASE("the daily report of a day without sales is all zeros", "[cli][report]") {
  DemoOutlet outlet;
  const auto r = outlet.as_clerk({"report", "daily", "--user", d::kClerk, "--date", "2009-01-15", "--format", "json"});
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  const auto j = r.json();
  CHECK(j.at("date") == "2009-01-15");
  CHECK(j.at("sales_count") == 0);
  CHECK(j.at("items_count") == 0);
  CHECK(j.at("total") == "0.00");
  CHECK(j.at("subsidy") == "0.00");
  CHECK(j.at("subsidy_central") == "0.00");
  CHECK(j.at("subsidy_provincial") == "0.00");
  CHECK(j.at("returns_count") == 0);
  CHECK(j.at("by_category").empty());
  CHECK(j.at("pending_upload") == 0);
}
