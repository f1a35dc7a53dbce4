#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/report.hpp"
#include "core/text.hpp"
#include "samples.hpp"

using hn::Category;
using hn::DailyFigures;
using hn::test::lines_of;

namespace {
DailyFigures figures_with_subsidy(hn::Fen subsidy) {
  DailyFigures f;
  f.date = hn::Date{2009, 1, 15};
  f.by_category[Category::Tv] = {1, 199900, subsidy};
  return f;
}

DailyFigures two_category_day() {
  DailyFigures f;
  f.date = hn::Date{2009, 1, 15};
  f.sales_count = 2;
  f.by_category[Category::Tv] = {2, 349800, 45474};      // 1999.00 + 1499.00; 259.87 + 194.87
  f.by_category[Category::Fridge] = {1, 179900, 23387};  // 1799.00; 233.87
  f.returns_count = 1;
  f.returns_total = 59900;
  f.returns_subsidy = 7787;
  f.pending_upload = 1;
  return f;
}

}  // namespace

TEST_CASE("a subsidy of 259.87 splits into 207.90 central and 51.97 provincial", "[report]") {
  // POLICY S2: 259.87 * 80% = 207.896 -> 207.90 (half up); the province takes the rest
  const auto r = hn::make_daily_report(figures_with_subsidy(25987), 80);
  CHECK(r.subsidy == 25987);
  CHECK(r.subsidy_central == 20790);
  CHECK(r.subsidy_provincial == 5197);
}

TEST_CASE("the central share rounds half up to the fen", "[report]") {
  // 0.03 * 80% = 0.024 -> 0.02; 0.01 * 80% = 0.008 -> 0.01
  CHECK(hn::make_daily_report(figures_with_subsidy(3), 80).subsidy_central == 2);
  CHECK(hn::make_daily_report(figures_with_subsidy(1), 80).subsidy_central == 1);
  // 0.02 * 75% = 0.015 -> 0.02, an exact half
  const auto half = hn::make_daily_report(figures_with_subsidy(2), 75);
  CHECK(half.subsidy_central == 2);
  CHECK(half.subsidy_provincial == 0);
}

TEST_CASE("central and provincial shares always add up to the subsidy", "[report]") {
  // POLICY S2: no fen lost or made in the split; and the central share is within half a fen
  // of the exact 80% (|100 * central - 80 * subsidy| <= 50).
  long failures = 0;
  for (hn::Fen s = 0; s <= 200000; s += 7) {
    const auto r = hn::make_daily_report(figures_with_subsidy(s), 80);
    const hn::Fen error = 100 * r.subsidy_central - 80 * s;
    if (r.subsidy_central + r.subsidy_provincial != s || std::llabs(error) > 50 ||
        r.subsidy_provincial < 0) {
      if (++failures <= 5) FAIL_CHECK("split broke at " << s);
    }
  }
  CHECK(failures == 0);
}

TEST_CASE("the whole subsidy goes to the province at 0% and to the centre at 100%", "[report]") {
  const auto none = hn::make_daily_report(figures_with_subsidy(25987), 0);
  CHECK(none.subsidy_central == 0);
  CHECK(none.subsidy_provincial == 25987);
  const auto all = hn::make_daily_report(figures_with_subsidy(25987), 100);
  CHECK(all.subsidy_central == 25987);
  CHECK(all.subsidy_provincial == 0);
}

TEST_CASE("the report sums items, totals and subsidies over the categories", "[report]") {
  const auto r = hn::make_daily_report(two_category_day(), 80);
  CHECK(r.items_count == 3);
  CHECK(r.total == 529700);              // 3498.00 + 1799.00
  CHECK(r.subsidy == 68861);             // 454.74 + 233.87
  CHECK(r.subsidy_central == 55089);     // 688.61 * 80% = 550.888 -> 550.89
  CHECK(r.subsidy_provincial == 13772);  // 688.61 - 550.89
  CHECK(r.figures.sales_count == 2);
}

TEST_CASE("the report CSV has a header, a row per category and an all row", "[report]") {
  const auto r = hn::make_daily_report(two_category_day(), 80);
  CHECK(hn::render_report_csv(r) ==
        "date,category,category_name,count,total,subsidy,subsidy_central,subsidy_provincial\r\n"
        "2009-01-15,tv,彩电,2,3498.00,454.74,,\r\n"
        "2009-01-15,fridge,冰箱(含冰柜),1,1799.00,233.87,,\r\n"
        "2009-01-15,all,合计,3,5297.00,688.61,550.89,137.72\r\n");
}

TEST_CASE("an empty day's CSV still has the header and an all row", "[report]") {
  DailyFigures f;
  f.date = hn::Date{2009, 1, 16};
  CHECK(hn::render_report_csv(hn::make_daily_report(f, 80)) ==
        "date,category,category_name,count,total,subsidy,subsidy_central,subsidy_provincial\r\n"
        "2009-01-16,all,合计,0,0.00,0.00,0.00,0.00\r\n");
}

TEST_CASE("the report text shows both shares of the subsidy and the day's returns", "[report]") {
  // POLICY S2: reports show the central and the provincial share
  const auto text =
      hn::render_report_text(hn::make_daily_report(two_category_day(), 80), "石牌镇家电城");
  CHECK_THAT(text, Catch::Contains("2009-01-15") && Catch::Contains("石牌镇家电城"));
  CHECK_THAT(text, Catch::Contains("中央 Central: 550.89"));
  CHECK_THAT(text, Catch::Contains("省级 Provincial: 137.72"));
  CHECK_THAT(text, Catch::Contains("退货 Returns: 1"));
  CHECK_THAT(text, Catch::Contains("待上传 Pending upload: 1"));
}

TEST_CASE("the report table's columns line up for every category", "[report]") {
  // Header, one row per category and the all row: the same width, so the columns align.
  DailyFigures f;
  f.date = hn::Date{2009, 5, 4};
  for (Category c : hn::kAllCategories) f.by_category[c] = {1, 100000, 13000};
  const auto lines = lines_of(hn::render_report_text(hn::make_daily_report(f, 80), "网点"));
  int table_rows = 0;
  int width = -1;
  for (const auto& l : lines) {
    if (l.find("1000.00") == std::string::npos && l.find("品类 Category") == std::string::npos &&
        l.find("合计 All") == std::string::npos)
      continue;
    INFO("'" << l << "'");
    if (width < 0) width = hn::display_width(l);
    CHECK(hn::display_width(l) == width);
    ++table_rows;
  }
  CHECK(table_rows == 11);  // header, 9 categories, all
  // The longest name, 冰箱(含冰柜) fridge/freezer (27 columns), fits with room to spare.
  CHECK(width == 29 + 12 + 14 + 14);
}

TEST_CASE("a spreadsheet cell starting with = + - @ tab or CR is kept as text with an apostrophe", "[report][csv]") {
  CHECK(hn::spreadsheet_cell("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
  CHECK(hn::spreadsheet_cell("+86 138") == "'+86 138");
  CHECK(hn::spreadsheet_cell("-1+2") == "'-1+2");
  CHECK(hn::spreadsheet_cell("@SUM(A1)") == "'@SUM(A1)");
  // A leading tab or CR still marks the cell as text; the control character itself never
  // reaches the file (issue 14: every file writer replaces it, here with U+FFFD).
  CHECK(hn::spreadsheet_cell("\tx") == "'\xEF\xBF\xBDx");
  CHECK(hn::spreadsheet_cell("\rx") == "'\xEF\xBF\xBDx");
  CHECK(hn::spreadsheet_cell("彩电, TV") == "\"彩电, TV\"");
  CHECK(hn::spreadsheet_cell("李娜") == "李娜");
  CHECK(hn::spreadsheet_cell("a=b") == "a=b");
  CHECK(hn::spreadsheet_cell("") == "");
}

TEST_CASE("the spreadsheet CSV starts with the byte order mark and neutralises a clerk's formula name", "[report][csv]") {
  auto f = two_category_day();
  f.by_clerk["li"] = {"=1+1", 2, 3, 528700, 68861, 1};
  const auto csv = hn::render_report_spreadsheet_csv(hn::make_daily_report(f, 80), {"石牌镇家电城", "AH-01", "2009-01-15T20:00:00"});
  CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK_THAT(csv, Catch::Contains("\r\n'=1+1,li,2,3,5287.00,688.61,550.89,137.72,1\r\n"));
  CHECK_THAT(csv, Catch::Contains("彩电 TV,tv,2,3498.00,454.74,"));
  CHECK(csv.find("\n=") == std::string::npos);
}

TEST_CASE("each row's central share is allocated so that the rows add up to the total's share", "[report]") {
  // Three rows of 0.01 subsidy: 80% of each is 0.008; the total 0.03 gives 0.024 -> 0.02 central.
  DailyFigures f;
  f.date = hn::Date{2009, 1, 15};
  f.by_category[Category::Tv] = {1, 8, 1};
  f.by_category[Category::Fridge] = {1, 8, 1};
  f.by_category[Category::Phone] = {1, 8, 1};
  const auto r = hn::make_daily_report(f, 80);
  CHECK(r.subsidy_central == 2);
  hn::Fen central = 0, provincial = 0;
  for (const auto& [c, s] : r.category_split) {
    central += s.central;
    provincial += s.provincial;
    CHECK(s.central + s.provincial == 1);
  }
  CHECK(central == r.subsidy_central);
  CHECK(provincial == r.subsidy_provincial);
}

TEST_CASE("merged figures are the sums of the terminals' figures", "[report]") {
  auto a = two_category_day();
  a.terminals = {"AH-01/01"};
  a.by_clerk["li"] = {"李娜", 2, 3, 528700, 68861, 1};
  a.refused_attempts = 1;
  a.refused_by_code["PRICE_OVER_CAP"] = 1;
  a.pending.push_back({hn::Date{2009, 1, 15}, 1, "00000002", "00000002", hn::Date{2009, 1, 20}, hn::DeadlineState::OnTime, ""});
  a.series = {{hn::Date{2009, 1, 14}, 1, 100, 13}, {hn::Date{2009, 1, 15}, 3, 528700, 68861}};
  auto b = a;
  b.terminals = {"AH-01/02"};
  const auto m = hn::merge_figures({a, b});
  CHECK(m.sales_count == 4);
  CHECK(m.by_category.at(Category::Tv).total == 2 * 349800);
  CHECK(m.by_clerk.at("li").items == 6);
  CHECK(m.by_clerk.at("li").name == "李娜");
  CHECK(m.refused_by_code.at("PRICE_OVER_CAP") == 2);
  CHECK(m.returns_subsidy == 2 * 7787);
  REQUIRE(m.pending.size() == 2);  // invoice numbers are per terminal: kept apart
  CHECK(m.pending[0].terminal == "AH-01/01");
  CHECK(m.pending[1].terminal == "AH-01/02");
  REQUIRE(m.series.size() == 2);
  CHECK(m.series[1].total == 2 * 528700);
  CHECK(m.series[1].sales == 6);
  CHECK(m.terminals == std::vector<std::string>{"AH-01/01", "AH-01/02"});
}
