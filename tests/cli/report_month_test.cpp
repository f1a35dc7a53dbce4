// The manager's reports over a generated month (reports issue): the period report and its
// spreadsheet CSV agree to the fen with the sales in the database; the CSV opens in
// LibreOffice headless with Chinese intact and formulas neutralised; the PDF has its fonts
// embedded, Chinese text and the charts drawn; `report merge` of three terminals' audit
// exports equals the sum of the three terminals' reports, and refuses a tampered file.
//
// The month is made through the use cases (pos/app) with the clock moved day by day, on three
// terminals of one shop; everything after that is the real `huinong` binary on those files.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>

#include "app/terminal.hpp"
#include "app/store_access.hpp"
#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;
using nlohmann::json;

namespace {

class SteppingClock final : public hn::app::Clock {
 public:
  std::int64_t unix_seconds() const override { return now; }
  void at(hn::Date day, int hour) { now = day.serial() * 86400 + (hour - 8) * 3600; }  // UTC+8
  std::int64_t now = 0;
};

constexpr const char* kFrom = "2026-03-01";
constexpr const char* kTo = "2026-03-31";
constexpr const char* kZhaoPin = "493817";
// A clerk whose name a spreadsheet would take for a formula: the CSV must keep it text.
constexpr const char* kZhaoName = "=2+3 赵";

struct Model {
  const char* code;
  hn::Fen cap;
};
// Models of assets/demo/catalog.csv valid in March 2026, at their bid prices.
constexpr Model kModels[] = {{"HISENSE-TLM26V68", 199900}, {"TCL-L22E9", 169900}, {"HAIER-BCD-186KB", 179900},
                             {"NOKIA-1680C", 59900},       {"LITTLESWAN-XQB50-180G", 109900}};
constexpr const char* kIds[] = {d::kIdZhang, d::kIdLi, d::kIdWang, d::kIdZhao, d::kIdSun};
constexpr const char* kHouseholds[] = {d::kHouseholdA, d::kHouseholdB, d::kHouseholdC, d::kHouseholdD};

// One terminal of the shop with a month of sales, returns, a pre-return, refused attempts and
// uploads accepted up to the 20th.
std::string make_terminal_month(const TempDir& dir, int k) {
  using namespace hn;
  const std::string db = dir.file("t" + std::to_string(k) + ".db");
  SteppingClock clock;
  clock.at(Date{2026, 2, 27}, 9);
  app::InitOptions o;
  o.outlet_code = d::kOutletCode;
  o.outlet_name = "萧县惠农家电城";
  o.county = d::kCounty;
  o.manager_login = d::kManager;
  o.manager_name = "王店长";
  o.manager_pin = d::kManagerPin;
  o.household_limit = 99;
  o.terminal_id = "0" + std::to_string(k);
  o.assets_dir = HUINONG_ASSETS_DIR;
  REQUIRE(app::Terminal::init(db, o, clock).ok());
  auto t = app::Terminal::open(db, clock);
  const auto manager = t->authenticate(d::kManager, d::kManagerPin).value();
  REQUIRE(t->add_user(manager, d::kClerk, "李娜", store::Role::Clerk, d::kClerkPin).ok());
  REQUIRE(t->add_user(manager, "zhao", kZhaoName, store::Role::Clerk, kZhaoPin).ok());
  const auto li = t->authenticate(d::kClerk, d::kClerkPin).value();
  const auto zhao = t->authenticate("zhao", kZhaoPin).value();
  const auto catalog = read_file(asset("demo/catalog.csv"));
  REQUIRE(catalog);
  REQUIRE(t->import_catalog(manager, *catalog, "catalog.csv").ok());
  std::string cards = "card_no,serial_no,model_code\n";
  for (int m = 0; m < 5; ++m)
    for (int n = 0; n < 60; ++n) {
      char card[32], serial[64];
      std::snprintf(card, sizeof card, "34089%d%d%08d", k, m, n);
      std::snprintf(serial, sizeof serial, "T%d-M%d-%05d", k, m, n);
      cards += std::string(card) + "," + serial + "," + kModels[m].code + "\n";
    }
  REQUIRE(t->receive_cards(manager, cards, "cards.csv").ok());

  int next_card[5] = {0, 0, 0, 0, 0};
  int sale_no = 0;
  std::vector<std::pair<std::int64_t, std::string>> pre_return_candidates;  // invoice, card
  for (int day = 1; day <= 31; ++day) {
    const Date date{2026, 3, day};
    const int sales_today = 2 + (day * k) % 4;
    for (int s = 0; s < sales_today; ++s, ++sale_no) {
      clock.at(date, 9 + s);
      Cart cart;
      cart.buyer = {"购买人" + std::to_string(sale_no % 5), kIds[sale_no % 5], kHouseholds[sale_no % 4],
                    Hukou::Agricultural, std::nullopt};
      const int items = 1 + (sale_no % 3 == 0);
      for (int i = 0; i < items; ++i) {
        const int m = (sale_no + i * 2 + k) % 5;
        char card[32];
        std::snprintf(card, sizeof card, "34089%d%d%08d", k, m, next_card[m]++);
        // Prices a little under the cap, some with odd fen so that 13% rounds.
        cart.items.push_back({card, "", kModels[m].cap - (sale_no * 3700 + i * 1250) % 40000 - (sale_no % 7) * 13});
      }
      const auto& clerk = sale_no % 3 == 0 ? zhao : li;
      auto r = t->checkout(clerk, cart);
      REQUIRE(r.ok());
      REQUIRE(r->sale);
      if (day == 6 && s == 0) pre_return_candidates.emplace_back(r->sale->invoice_no, r->sale->items[0].card_no);
      if (day % 9 == 0 && s == 0) {  // a return the same afternoon (never uploaded: completes at once)
        clock.at(date, 17);
        REQUIRE(t->return_item(li, manager, r->sale->invoice_no, r->sale->items[0].card_no, "质量问题").ok());
      }
    }
    if (day % 5 == 0) {  // an over-cap price at the counter, refused
      clock.at(date, 18);
      Cart cart;
      cart.buyer = {"购买人", d::kIdZhang, d::kHouseholdA, Hukou::Agricultural, std::nullopt};
      char card[32];
      std::snprintf(card, sizeof card, "34089%d%d%08d", k, 0, 59);
      cart.items.push_back({card, "", 250000});
      auto r = t->checkout(day % 10 == 0 ? zhao : li, cart);
      REQUIRE(r.ok());
      REQUIRE_FALSE(r->sale);
    }
    if (day == 20) {  // the province accepted everything sold so far
      for (const auto& row : hn::app::store_of(*t).outbox().due(std::int64_t{1} << 62, 100000))
        hn::app::store_of(*t).outbox().answered(row.id, "accepted", "", "", "2026-03-20T20:00:00");
    }
    if (day == 22) {  // approved, not yet paid: a pre-return is filed (POLICY returns)
      clock.at(date, 10);
      t->set_subsidy_lookup([](const std::string&) { return SubsidyState::Approved; });
      for (const auto& [invoice, card] : pre_return_candidates)
        REQUIRE(t->return_item(li, manager, invoice, card, "购买人要求退货").ok());
      t->set_subsidy_lookup(nullptr);
    }
  }
  return db;
}

// Cells of a CSV text: quoted cells with "" inside, CRLF or LF row ends.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false, cell_started = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') cell += '"', ++i;
      else if (c == '"') quoted = false;
      else cell += c;
    } else if (c == '"') {
      quoted = cell_started = true;
    } else if (c == ',') {
      rows.back().push_back(cell);
      cell.clear();
      cell_started = true;
    } else if (c == '\r') {
    } else if (c == '\n') {
      if (cell_started || !cell.empty()) rows.back().push_back(cell);
      cell.clear();
      cell_started = false;
      rows.emplace_back();
    } else {
      cell += c;
      cell_started = true;
    }
  }
  if (cell_started || !cell.empty()) rows.back().push_back(cell);
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

// The rows of the section whose title row starts with `title`, up to the next empty row.
std::vector<std::vector<std::string>> section(const std::vector<std::vector<std::string>>& rows,
                                              const std::string& title) {
  std::vector<std::vector<std::string>> out;
  bool in = false;
  for (const auto& r : rows) {
    if (!in) {
      in = !r.empty() && r[0] == title;
      continue;
    }
    if (r.empty()) break;
    out.push_back(r);
  }
  return out;
}

std::int64_t fen(const std::string& yuan) {
  const auto v = fen_of(yuan);
  INFO("amount '" << yuan << "'");
  REQUIRE(v);
  return *v;
}

std::int64_t num(const std::string& s) { return std::stoll(s); }

Env manager_env(const std::string& home, const std::string& db) {
  Env env = base_env(home);
  env["HUINONG_DB"] = db;
  env["HUINONG_PIN"] = d::kManagerPin;
  return env;
}

RunResult period(const TempDir& dir, const std::string& db, std::vector<std::string> extra) {
  std::vector<std::string> args{"report", "period", "--user", d::kManager, "--from", kFrom, "--to", kTo};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_huinong(args, manager_env(dir.path(), db));
}

// Runs a tool; its stdout. REQUIREs exit status 0.
std::string tool(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = ::pclose(p);
  INFO(command << "\n" << out);
  REQUIRE(status == 0);
  return out;
}

// Pixels of page 1 near a colour, from pdftoppm's PPM (P6, 8-bit).
int pixels_near(const std::string& ppm_path, int r, int g, int b) {
  const auto bytes = read_file(ppm_path);
  REQUIRE(bytes);
  const std::string& s = *bytes;
  std::size_t at = 0;
  int fields[3] = {0, 0, 0};
  REQUIRE(s.rfind("P6", 0) == 0);
  at = 2;
  for (int f = 0; f < 3; ++f) {
    while (at < s.size() && std::isspace(static_cast<unsigned char>(s[at]))) ++at;
    while (at < s.size() && std::isdigit(static_cast<unsigned char>(s[at]))) fields[f] = fields[f] * 10 + (s[at++] - '0');
  }
  ++at;
  int near = 0;
  for (std::size_t p = at; p + 2 < s.size(); p += 3) {
    const int dr = static_cast<unsigned char>(s[p]) - r, dg = static_cast<unsigned char>(s[p + 1]) - g,
              db = static_cast<unsigned char>(s[p + 2]) - b;
    if (std::abs(dr) < 24 && std::abs(dg) < 24 && std::abs(db) < 24) ++near;
  }
  return near;
}

void keep_sample(const std::string& path, const std::string& name) {
  // HUINONG_REPORT_SAMPLES_DIR=DIR keeps the files made here (README images are made from them).
  if (const char* dir = std::getenv("HUINONG_REPORT_SAMPLES_DIR"); dir && *dir)
    std::filesystem::copy_file(path, std::string(dir) + "/" + name, std::filesystem::copy_options::overwrite_existing);
}

}  // namespace

TEST_CASE("the period report and its spreadsheet CSV agree to the fen with a generated month of sales",
          "[cli][report][month]") {
  TempDir dir;
  const std::string db = make_terminal_month(dir, 1);
  const DbReader sql(db);
  const std::string period_sql = " BETWEEN '2026-03-01' AND '2026-03-31'";

  const auto written = period(dir, db, {"--out", dir.file("month.csv")});
  INFO(written.describe());
  REQUIRE(written.exit_code == 0);
  const auto bytes = read_file(dir.file("month.csv"));
  REQUIRE(bytes);
  CHECK(bytes->rfind("\xEF\xBB\xBF", 0) == 0);  // the byte order mark Excel needs
  CHECK(contains(*bytes, "\r\n"));
  keep_sample(dir.file("month.csv"), "report-period.csv");
  const auto rows = parse_csv(bytes->substr(3));

  // Per category: items, amount, subsidy; the shares add up to the subsidy on every row.
  const auto cats = section(rows, "按品类 By category");
  const auto expect_cats = sql.rows("SELECT i.category, COUNT(*), SUM(i.price), SUM(i.subsidy) FROM sale_items i "
                                    "JOIN sales s ON s.id = i.sale_id WHERE s.sale_date" + period_sql +
                                    " GROUP BY i.category ORDER BY i.category");
  REQUIRE(expect_cats.size() == 4);
  REQUIRE(cats.size() == expect_cats.size() + 1);  // and the "all" row
  std::int64_t central_rows = 0;
  for (const auto& e : expect_cats) {
    const auto row = std::find_if(cats.begin(), cats.end(), [&](const auto& r) { return r.at(1) == e[0]; });
    INFO("category " << e[0]);
    REQUIRE(row != cats.end());
    CHECK(num(row->at(2)) == num(e[1]));
    CHECK(fen(row->at(3)) == num(e[2]));
    CHECK(fen(row->at(4)) == num(e[3]));
    CHECK(fen(row->at(5)) + fen(row->at(6)) == num(e[3]));
    central_rows += fen(row->at(5));
  }
  const auto& all = cats.back();
  CHECK(all.at(1) == "all");
  CHECK(num(all.at(2)) == sql.scalar("SELECT COUNT(*) FROM sale_items i JOIN sales s ON s.id = i.sale_id WHERE s.sale_date" + period_sql));
  CHECK(fen(all.at(3)) == sql.scalar("SELECT SUM(total) FROM sales WHERE sale_date" + period_sql));
  CHECK(fen(all.at(4)) == sql.scalar("SELECT SUM(subsidy) FROM sales WHERE sale_date" + period_sql));
  CHECK(central_rows == fen(all.at(5)));  // the rows' central shares add up to the total's
  // POLICY S2: 80% of the subsidy, rounded half up; the province takes the rest.
  const std::int64_t subsidy = fen(all.at(4));
  CHECK(fen(all.at(5)) == (subsidy * 80 + 50) / 100);
  CHECK(fen(all.at(6)) == subsidy - fen(all.at(5)));

  // Per clerk.
  const auto clerks = section(rows, "按营业员 By clerk");
  const auto expect_clerks = sql.rows(
      "SELECT u.login, u.name, COUNT(DISTINCT s.id), COUNT(*), SUM(i.price), SUM(i.subsidy) FROM sale_items i "
      "JOIN sales s ON s.id = i.sale_id JOIN users u ON u.id = s.user_id WHERE s.sale_date" + period_sql +
      " GROUP BY u.login ORDER BY u.login");
  REQUIRE(expect_clerks.size() == 2);
  REQUIRE(clerks.size() == 2);
  for (const auto& e : expect_clerks) {
    const auto row = std::find_if(clerks.begin(), clerks.end(), [&](const auto& r) { return r.at(1) == e[0]; });
    INFO("clerk " << e[0]);
    REQUIRE(row != clerks.end());
    CHECK(num(row->at(2)) == num(e[2]));
    CHECK(num(row->at(3)) == num(e[3]));
    CHECK(fen(row->at(4)) == num(e[4]));
    CHECK(fen(row->at(5)) == num(e[5]));
    CHECK(num(row->at(8)) == sql.scalar("SELECT COUNT(*) FROM journal WHERE kind = 'sale_refused' AND user_login = '" +
                                        e[0] + "' AND substr(at, 1, 10)" + period_sql));
  }
  // The formula-looking name is text: an apostrophe in front.
  CHECK(std::any_of(clerks.begin(), clerks.end(), [](const auto& r) { return r.at(0) == std::string("'") + kZhaoName; }));

  // Summary: returns, pre-returns, refused attempts, pending uploads.
  std::map<std::string, std::string> summary;
  for (const auto& r : section(rows, "汇总 Summary"))
    if (r.size() >= 2) summary[r[0]] = r[1];
  CHECK(num(summary.at("销售单数 Sales")) == sql.scalar("SELECT COUNT(*) FROM sales WHERE sale_date" + period_sql));
  CHECK(num(summary.at("退货件数 Returns")) == sql.scalar("SELECT COUNT(*) FROM returns WHERE return_date" + period_sql));
  CHECK(num(summary.at("退货件数 Returns")) == 3);  // the 9th, 18th and 27th
  CHECK(fen(summary.at("退货金额 Returns amount")) == sql.scalar("SELECT SUM(price) FROM returns WHERE return_date" + period_sql));
  CHECK(fen(summary.at("退货补贴 Returns subsidy")) == sql.scalar("SELECT SUM(subsidy) FROM returns WHERE return_date" + period_sql));
  CHECK(num(summary.at("预退货件数 Pre-returns")) == 1);
  CHECK(fen(summary.at("预退货金额 Pre-returns amount")) ==
        sql.scalar("SELECT SUM(i.price) FROM return_events e JOIN return_requests q ON q.id = e.request_id "
                   "JOIN sale_items i ON i.id = q.item_id WHERE e.kind = 'pre_return'"));
  CHECK(num(summary.at("被拒尝试 Refused attempts")) == 6);  // the 5th, 10th, ..., 30th
  CHECK(num(summary.at("被拒尝试 Refused attempts")) ==
        sql.scalar("SELECT COUNT(*) FROM journal WHERE kind = 'sale_refused'"));
  CHECK(num(summary.at("待上传 Pending upload")) ==
        sql.scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'sale' AND state <> 'accepted'"));
  const auto refusals = section(rows, "被拒原因 Refusals");
  REQUIRE(refusals.size() == 1);
  CHECK(refusals[0].at(1) == "PRICE_OVER_CAP");
  CHECK(num(refusals[0].at(2)) == 6);

  // Pending uploads by sale date, each with its deadline (POLICY S5, working days).
  const auto pending = section(rows, "待上传 Pending uploads");
  const auto expect_pending = sql.rows("SELECT s.sale_date, COUNT(*) FROM outbox o JOIN sales s ON s.id = o.ref_id "
                                       "WHERE o.kind = 'sale' AND o.state <> 'accepted' GROUP BY s.sale_date ORDER BY 1");
  REQUIRE(pending.size() == expect_pending.size());
  REQUIRE(pending.size() == 11);  // the 21st to the 31st
  for (std::size_t i = 0; i < pending.size(); ++i) {
    CHECK(pending[i].at(1) == expect_pending[i][0]);
    CHECK(num(pending[i].at(2)) == num(expect_pending[i][1]));
  }
  CHECK(pending[0].at(1) == "2026-03-21");  // a Saturday: due Wednesday the 25th
  CHECK(pending[0].at(5) == "2026-03-25");
  CHECK(pending[4].at(1) == "2026-03-25");  // a Wednesday: due Monday the 30th
  CHECK(pending[4].at(5) == "2026-03-30");

  // Day by day, every day of the month.
  const auto days = section(rows, "每日 By day");
  REQUIRE(days.size() == 31);
  const auto expect_days = sql.rows("SELECT s.sale_date, COUNT(DISTINCT s.id), SUM(i.price), SUM(i.subsidy) FROM "
                                    "sale_items i JOIN sales s ON s.id = i.sale_id WHERE s.sale_date" + period_sql +
                                    " GROUP BY s.sale_date ORDER BY 1");
  REQUIRE(expect_days.size() == 31);
  for (std::size_t i = 0; i < days.size(); ++i) {
    CHECK(days[i].at(1) == expect_days[i][0]);
    CHECK(num(days[i].at(2)) == num(expect_days[i][1]));
    CHECK(fen(days[i].at(3)) == num(expect_days[i][2]));
    CHECK(fen(days[i].at(4)) == num(expect_days[i][3]));
  }

  // The JSON report says the same as the CSV.
  const auto j = period(dir, db, {"--format", "json"});
  INFO(j.describe());
  REQUIRE(j.exit_code == 0);
  CHECK(j.json().at("total") == all.at(3));
  CHECK(j.json().at("subsidy_central") == all.at(5));
  CHECK(j.json().at("refused_by_code").at("PRICE_OVER_CAP") == 6);
  CHECK(j.json().at("by_clerk").at("zhao").at("name") == kZhaoName);  // JSON is not a spreadsheet: no apostrophe

  // The day's report of the 9th: the day, its return, and 30 days of chart ending that day.
  const auto day = run_huinong({"--json", "report", "daily", "--user", d::kManager, "--date", "2026-03-09"},
                               manager_env(dir.path(), db));
  INFO(day.describe());
  REQUIRE(day.exit_code == 0);
  CHECK(fen(day.json().at("total")) == sql.scalar("SELECT SUM(total) FROM sales WHERE sale_date = '2026-03-09'"));
  CHECK(day.json().at("returns_count") == 1);
  CHECK(day.json().at("series").size() == 30);
  CHECK(day.json().at("series").back().at("date") == "2026-03-09");
  // --format csv on stdout stays the machine-readable category table, without a BOM.
  const auto stdout_csv = run_huinong({"report", "daily", "--user", d::kManager, "--date", "2026-03-09", "--format", "csv"},
                                      manager_env(dir.path(), db));
  REQUIRE(stdout_csv.exit_code == 0);
  CHECK(stdout_csv.out.rfind("date,category,", 0) == 0);
}

TEST_CASE("the report CSV opens in LibreOffice with Chinese intact and formulas kept as text", "[cli][report][month]") {
  TempDir dir;
  const std::string db = make_terminal_month(dir, 2);
  REQUIRE(period(dir, db, {"--out", dir.file("month.csv")}).exit_code == 0);
  // A control: the same spreadsheet evaluates a formula cell that was not neutralised.
  write_file(dir.file("control.csv"), "\xEF\xBB\xBF名称,公式\r\n控制,=2+3\r\n");
  // Headless LibreOffice shows no import dialog, so it must be told the file's charset (with the
  // dialog it reads the byte order mark, as Excel does); the export is UTF-8 CSV again.
  for (const char* name : {"month", "control"})
    tool("cd " + dir.path() + " && HOME=" + dir.path() + " soffice -env:UserInstallation=file://" + dir.path() +
         "/lo-profile --headless --infilter=CSV:44,34,76 --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' "
         "--outdir " + dir.file("out") + " " + name + ".csv 2>&1");
  const auto control = read_file(dir.file("out/control.csv"));
  REQUIRE(control);
  CHECK(contains(*control, "控制,5"));  // evaluated: the check below can fail
  const auto back = read_file(dir.file("out/month.csv"));
  REQUIRE(back);
  CHECK(contains(*back, "萧县惠农家电城"));
  CHECK(contains(*back, "彩电 TV"));
  CHECK(contains(*back, "按营业员 By clerk"));
  CHECK(contains(*back, std::string("'") + kZhaoName));  // still the text, not 5
  CHECK_FALSE(contains(*back, "\n5 赵"));
}

TEST_CASE("the report PDF is A4 with its Chinese font embedded, the text and the charts", "[cli][report][month]") {
  TempDir dir;
  const std::string db = make_terminal_month(dir, 3);
  const auto r = period(dir, db, {"--out", dir.file("month.pdf")});
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  const auto daily = run_huinong({"report", "daily", "--user", d::kManager, "--date", "2026-03-30", "--out",
                                  dir.file("day.pdf")},
                                 manager_env(dir.path(), db));
  REQUIRE(daily.exit_code == 0);
  keep_sample(dir.file("month.pdf"), "report-period.pdf");
  keep_sample(dir.file("day.pdf"), "report-daily.pdf");
  for (const char* name : {"month.pdf", "day.pdf"}) {
    INFO(name);
    const std::string fonts = tool("pdffonts " + dir.file(name));
    CHECK(contains(fonts, "WenQuanYi"));
    // Every font embedded: "emb" is the fifth column from the end (emb sub uni object ID).
    const auto lines = lines_of(fonts);
    REQUIRE(lines.size() > 2);
    for (std::size_t i = 2; i < lines.size(); ++i) {
      std::istringstream in(lines[i]);
      std::vector<std::string> cols;
      for (std::string w; in >> w;) cols.push_back(w);
      if (cols.size() < 6) continue;
      INFO(lines[i]);
      CHECK(cols[cols.size() - 5] == "yes");
    }
    const std::string info = tool("pdfinfo " + dir.file(name));
    CHECK(contains(info, "595.28 x 841.89 pts (A4)"));
  }
  const std::string text = tool("pdftotext -layout " + dir.file("day.pdf") + " -");
  CHECK(contains(text, "惠农收银台 日报"));
  CHECK(contains(text, "萧县惠农家电城"));
  CHECK(contains(text, "近 30 日"));
  CHECK(contains(text, "李娜"));
  CHECK(contains(text, "PRICE_OVER_CAP"));
  tool("pdftoppm -r 60 -f 1 -l 1 " + dir.file("day.pdf") + " " + dir.file("day"));
  const std::string ppm = std::filesystem::exists(dir.file("day-1.ppm")) ? dir.file("day-1.ppm") : dir.file("day-01.ppm");
  // The bars and the line in their colours: the amount in blue, the subsidy in green.
  CHECK(pixels_near(ppm, 0x42, 0x7a, 0xb8) > 300);
  CHECK(pixels_near(ppm, 0x2e, 0x9e, 0x5b) > 100);
}

TEST_CASE("report merge of three terminals' audit exports equals the sum of their three reports", "[cli][report][month]") {
  TempDir dir;
  std::vector<std::string> dbs, files;
  json sum = {{"sales_count", 0}, {"items_count", 0}, {"total", 0}, {"subsidy", 0}, {"returns_count", 0},
              {"returns_total", 0}, {"pre_returns_count", 0}, {"refused_attempts", 0}, {"pending_upload", 0}};
  std::map<std::string, std::array<std::int64_t, 3>> cat_sum, clerk_sum, day_sum;
  for (int k = 1; k <= 3; ++k) {
    dbs.push_back(make_terminal_month(dir, k));
    const auto r = period(dir, dbs.back(), {"--format", "json"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    const json j = r.json();
    for (const auto* f : {"sales_count", "items_count", "returns_count", "pre_returns_count", "refused_attempts",
                          "pending_upload"})
      sum[f] = sum[f].get<std::int64_t>() + j.at(f).get<std::int64_t>();
    for (const auto* f : {"total", "subsidy", "returns_total"})
      sum[f] = sum[f].get<std::int64_t>() + fen(j.at(f));
    for (const auto& [cat, v] : j.at("by_category").items()) {
      cat_sum[cat][0] += v.at("count").get<std::int64_t>();
      cat_sum[cat][1] += fen(v.at("total"));
      cat_sum[cat][2] += fen(v.at("subsidy"));
    }
    for (const auto& [login, v] : j.at("by_clerk").items()) {
      clerk_sum[login][0] += v.at("items_count").get<std::int64_t>();
      clerk_sum[login][1] += fen(v.at("total"));
      clerk_sum[login][2] += v.at("refused_attempts").get<std::int64_t>();
    }
    for (const auto& p : j.at("series")) {
      day_sum[p.at("date")][0] += p.at("sales_count").get<std::int64_t>();
      day_sum[p.at("date")][1] += fen(p.at("total"));
      day_sum[p.at("date")][2] += fen(p.at("subsidy"));
    }
    files.push_back(dir.file("t" + std::to_string(k) + "-audit.json"));
    const auto exp = run_huinong({"audit", "export", "--user", d::kManager, "--out", files.back()},
                                 manager_env(dir.path(), dbs.back()));
    INFO(exp.describe());
    REQUIRE(exp.exit_code == 0);
  }
  std::vector<std::string> args{"--json", "report", "merge"};
  args.insert(args.end(), files.begin(), files.end());
  for (const char* a : {"--from", kFrom, "--to", kTo}) args.push_back(a);
  const auto merged = run_huinong(args, base_env(dir.path()));  // no database, no PIN
  INFO(merged.describe());
  REQUIRE(merged.exit_code == 0);
  const json m = merged.json();
  CHECK(m.at("terminals") == json::array({"AH-XX-0001/01", "AH-XX-0001/02", "AH-XX-0001/03"}));
  for (const auto* f : {"sales_count", "items_count", "returns_count", "pre_returns_count", "refused_attempts",
                        "pending_upload"}) {
    INFO(f);
    CHECK(m.at(f) == sum.at(f));
  }
  for (const auto* f : {"total", "subsidy", "returns_total"}) {
    INFO(f);
    CHECK(fen(m.at(f)) == sum.at(f).get<std::int64_t>());
  }
  // The shop's subsidy split is the split of the shop's subsidy (POLICY S2).
  CHECK(fen(m.at("subsidy_central")) == (sum.at("subsidy").get<std::int64_t>() * 80 + 50) / 100);
  REQUIRE(m.at("by_category").size() == cat_sum.size());
  for (const auto& [cat, v] : cat_sum) {
    INFO(cat);
    CHECK(m.at("by_category").at(cat).at("count") == v[0]);
    CHECK(fen(m.at("by_category").at(cat).at("total")) == v[1]);
    CHECK(fen(m.at("by_category").at(cat).at("subsidy")) == v[2]);
  }
  REQUIRE(m.at("by_clerk").size() == clerk_sum.size());
  for (const auto& [login, v] : clerk_sum) {
    INFO(login);
    CHECK(m.at("by_clerk").at(login).at("items_count") == v[0]);
    CHECK(fen(m.at("by_clerk").at(login).at("total")) == v[1]);
    CHECK(m.at("by_clerk").at(login).at("refused_attempts") == v[2]);
  }
  CHECK(m.at("by_clerk").at("zhao").at("name") == kZhaoName);
  REQUIRE(m.at("series").size() == day_sum.size());
  for (const auto& p : m.at("series")) {
    const auto& v = day_sum.at(p.at("date"));
    CHECK(p.at("sales_count") == v[0]);
    CHECK(fen(p.at("total")) == v[1]);
    CHECK(fen(p.at("subsidy")) == v[2]);
  }
  CHECK(m.at("pending").size() == 33);  // 11 sale days on each terminal, each with its own invoice numbers
  CHECK(m.at("pending")[0].at("terminal") == "AH-XX-0001/01");

  // The merged PDF and CSV are made the same way.
  args.push_back("--out");
  args.push_back(dir.file("shop.pdf"));
  REQUIRE(run_huinong(args, base_env(dir.path())).exit_code == 0);
  keep_sample(dir.file("shop.pdf"), "report-merged.pdf");

  // A file changed after export is refused, with the verification's code, and nothing merged.
  auto text = *read_file(files[1]);
  const auto at = text.find("萧县惠农家电城");
  REQUIRE(at != std::string::npos);
  text.replace(at, std::string("萧县惠农家电城").size(), "萧县惠农家电店");
  write_file(files[1], text);
  std::vector<std::string> again{"--json", "report", "merge"};
  again.insert(again.end(), files.begin(), files.end());
  const auto refused = run_huinong(again, base_env(dir.path()));
  INFO(refused.describe());
  CHECK(refused.exit_code == 5);
  CHECK(error_of(refused.json()).at("code") == "BUNDLE_SIGNATURE");
  CHECK(contains(refused.all_output(), files[1]));
  // The same file twice is two copies of one terminal, not two terminals.
  const auto twice = run_huinong({"report", "merge", files[0], files[0]}, base_env(dir.path()));
  CHECK(twice.exit_code == 2);
}
