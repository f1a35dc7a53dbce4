// `huinong sale`: the accepted sale's JSON contract, the invoice text, the price caps, and
// that a refused sale leaves nothing behind.
#include <catch2/catch.hpp>

#include <regex>

#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {
bool is_uuid(const std::string& s) {
  static const std::regex re("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  return std::regex_match(s, re);
}

// What a refused sale must not change: rows written by a sale, and every card's state.
struct Trace {
  std::int64_t sales, items, outbox, returns;
  std::vector<std::string> card_states;
  bool operator==(const Trace& o) const {
    return sales == o.sales && items == o.items && outbox == o.outbox && returns == o.returns &&
           card_states == o.card_states;
  }
};

Trace trace_of(const DemoOutlet& o) {
  const DbReader db = o.reader();
  return {db.count("sales"), db.count("sale_items"), db.count("outbox"), db.count("returns"),
          db.column("SELECT card_no || ':' || state FROM label_cards ORDER BY card_no")};
}
}  // namespace

TEST_CASE("an accepted sale answers with the DESIGN.md JSON fields and the next sale takes the next invoice number",
          "[cli][sale]") {
  DemoOutlet outlet;
  const auto first = outlet.sell(
      sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + ":" + d::kTv1Serial + "=1999.00"));
  INFO(first.describe());
  REQUIRE(first.exit_code == 0);
  const auto j = first.json();
  CHECK(j.at("status") == "accepted");
  CHECK(j.at("invoice_no") == "00000001");  // 8-digit 发票号码, the terminal's first
  REQUIRE(j.at("sale_id").is_string());
  CHECK(is_uuid(j.at("sale_id").get<std::string>()));
  CHECK(j.at("total") == "1999.00");
  CHECK(j.at("subsidy") == "259.87");  // POLICY S2: 13% of 1999.00 = 259.87
  REQUIRE(j.at("items").is_array());
  REQUIRE(j.at("items").size() == 1);
  const auto& item = j.at("items")[0];
  CHECK(item.at("card") == d::kTv1);
  CHECK(item.at("serial") == d::kTv1Serial);
  CHECK(item.at("model") == "HISENSE-TLM26V68");
  CHECK(item.at("category") == "tv");
  CHECK(item.at("price") == "1999.00");
  CHECK(item.at("subsidy") == "259.87");
  REQUIRE(j.at("findings").is_array());
  CHECK(j.at("findings").empty());

  // Another household, a fridge given without its serial: the card's registered serial shows.
  const auto second = outlet.sell(sale_to("李四", d::kIdLi, d::kHouseholdB).item(std::string(d::kFridge1) + "=1799.00"));
  INFO(second.describe());
  REQUIRE(second.exit_code == 0);
  const auto k = second.json();
  CHECK(k.at("status") == "accepted");
  CHECK(k.at("invoice_no") == "00000002");
  CHECK(k.at("sale_id") != j.at("sale_id"));
  CHECK(k.at("total") == "1799.00");
  CHECK(k.at("subsidy") == "233.87");  // 13% of 1799.00 = 233.87
  CHECK(k.at("items")[0].at("serial") == "BCD186KB-0811Q04410");
  CHECK(k.at("items")[0].at("category") == "fridge");

  // The answer is what was committed.
  const DbReader db = outlet.reader();
  CHECK(db.column("SELECT invoice_no FROM sales ORDER BY invoice_no") == std::vector<std::string>{"1", "2"});
  CHECK(db.column("SELECT uuid FROM sales WHERE invoice_no = 1") ==
        std::vector<std::string>{j.at("sale_id").get<std::string>()});
}

TEST_CASE("one buyer's several products go on one invoice whose top-right corner carries the name, full ID number and every card",
          "[cli][sale][invoice]") {
  DemoOutlet outlet;
  const std::string invoice_file = outlet.file("invoice.txt");
  // POLICY S3: one buyer per invoice, several products allowed.
  auto sale = sale_to("王五", d::kIdWang, d::kHouseholdC)
                  .item(std::string(d::kTv2) + "=1999.00")
                  .item(std::string(d::kFridge2) + "=1799.00")
                  .item(std::string(d::kPhone1) + "=599.00")
                  .option("--invoice-out", invoice_file);
  const auto r = outlet.sell(sale);
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  const auto j = r.json();
  CHECK(j.at("invoice_no") == "00000001");
  CHECK(j.at("items").size() == 3);
  CHECK(j.at("total") == "4397.00");    // 1999.00 + 1799.00 + 599.00
  CHECK(j.at("subsidy") == "571.61");   // 259.87 + 233.87 + 77.87
  const DbReader db = outlet.reader();
  CHECK(db.count("sales") == 1);
  CHECK(db.count("sale_items") == 3);

  const auto text = read_file(invoice_file);
  REQUIRE(text);
  INFO("invoice:\n" << *text);
  const auto lines = lines_of(*text);
  CHECK(contains(*text, "00000001"));
  // The width of the invoice is that of its rules ("-----").
  int width = 0;
  for (const auto& l : lines)
    if (!l.empty() && l.find_first_not_of('-') == std::string::npos) {
      width = display_columns(l);
      break;
    }
  REQUIRE(width >= 40);
  // The first lines, up to the first blank line, are the top-right block (POLICY S4).
  std::vector<std::string> top;
  for (const auto& l : lines) {
    if (l.find_first_not_of(' ') == std::string::npos) break;
    top.push_back(l);
  }
  REQUIRE(top.size() >= 3);
  CHECK(top.size() <= 6);
  for (const auto& l : top) {
    INFO("top line: '" << l << "'");
    CHECK(l.front() == ' ');                   // padded on the left ...
    CHECK(display_columns(l) == width);        // ... to end at the right edge
  }
  auto in_top = [&](const std::string& needle) {
    for (const auto& l : top)
      if (contains(l, needle)) return true;
    return false;
  };
  CHECK(in_top("王五"));
  CHECK(in_top(d::kIdWang));  // the FULL ID number: the invoice is where the policy demands it
  CHECK(in_top(d::kTv2));
  CHECK(in_top(d::kFridge2));
  CHECK(in_top(d::kPhone1));

  // POLICY S4: the body shows each product's name, model, spec and price, and the date.
  CHECK(contains(*text, "HISENSE-TLM26V68"));
  CHECK(contains(*text, "26英寸 LCD"));
  CHECK(contains(*text, "HAIER-BCD-186KB"));
  CHECK(contains(*text, "NOKIA-1680C"));
  CHECK(contains(*text, "1799.00"));
  CHECK(contains(*text, "4397.00"));
  const auto date = db.column("SELECT sale_date FROM sales");
  REQUIRE(date.size() == 1);
  CHECK(contains(*text, date[0]));
}

TEST_CASE("a price exactly at the model's bid price is accepted and one fen over is refused naming both amounts",
          "[cli][sale][price]") {
  DemoOutlet outlet;
  // POLICY R3: HISENSE-TLM26V68 has the bid price 1999.00 (below the TV cap 2000.00).
  const auto over = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.01"));
  INFO(over.describe());
  CHECK(over.exit_code == 3);
  const auto j = over.json();
  CHECK(j.at("status") == "refused");
  CHECK(j.at("invoice_no").is_null());
  const auto f = find_finding(j, "PRICE_OVER_CAP");
  REQUIRE(f.has_value());
  CHECK(f->at("severity") == "refuse");
  CHECK(f->at("item") == d::kTv1);
  const std::string zh = f->at("message_zh"), en = f->at("message_en");
  CHECK(has_cjk(zh));
  CHECK(contains(zh, "1999.01"));
  CHECK(contains(zh, "1999.00"));
  CHECK(contains(en, "1999.01"));
  CHECK(contains(en, "1999.00"));

  const auto at_cap = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00"));
  INFO(at_cap.describe());
  CHECK(at_cap.exit_code == 0);
  CHECK(at_cap.json().at("status") == "accepted");
  CHECK(at_cap.json().at("invoice_no") == "00000001");

  // Prices may go down, never up: below the bid price is fine.
  const auto below = outlet.sell(sale_to("李四", d::kIdLi, d::kHouseholdB).item(std::string(d::kTv2) + "=1500.00"));
  INFO(below.describe());
  CHECK(below.exit_code == 0);
  CHECK(below.json().at("subsidy") == "195.00");  // 13% of 1500.00
}

TEST_CASE("a refused sale consumes no invoice number and leaves no trace in the database", "[cli][sale][atomic]") {
  DemoOutlet outlet;
  const Trace before = trace_of(outlet);
  REQUIRE(before.sales == 0);

  const std::vector<std::pair<const char*, SaleArgs>> refusals{
      // The TV alone would pass; the fridge is over its bid price 1799.00, so nothing is sold.
      {"one good and one refused item",
       sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00").item(std::string(d::kFridge1) + "=1799.50")},
      {"a card not received", sale_to("张三", d::kIdZhang, d::kHouseholdA).item("34080100000000019999=1999.00")},
      {"an ID number with a bad check digit",
       sale_to("张三", d::kIdBadCheck, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00")},
      {"a non-agricultural buyer",
       sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00").option("--hukou", "non-agricultural")},
  };
  const std::string invoice_file = outlet.file("refused-invoice.txt");
  for (const auto& [what, sale] : refusals) {
    INFO("refusal: " << what);
    auto with_invoice = sale;
    with_invoice.option("--invoice-out", invoice_file);
    const auto r = outlet.sell(with_invoice);
    INFO(r.describe());
    CHECK(r.exit_code == 3);
    CHECK(r.json().at("status") == "refused");
    CHECK(r.json().at("invoice_no").is_null());
    CHECK(trace_of(outlet) == before);
    CHECK_FALSE(file_exists(invoice_file));  // no invoice for a sale that did not happen
  }

  const auto ok = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00"));
  INFO(ok.describe());
  REQUIRE(ok.exit_code == 0);
  CHECK(ok.json().at("invoice_no") == "00000001");  // gap-free: no refused attempt took a number
  const Trace after = trace_of(outlet);
  CHECK(after.sales == 1);
  CHECK(after.items == 1);
  CHECK(after.outbox == 1);  // the sale is queued for upload in the same transaction
}

TEST_CASE("a sale naming two buyers or two households is bad usage, not a silent choice of one", "[cli][sale][usage]") {
  // POLICY S3: one buyer (one person, one household) per invoice. A script that passes
  // --buyer-id or --household twice must be told, not have one of the two silently recorded.
  DemoOutlet outlet;
  auto two_ids = sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00");
  two_ids.option("--buyer-id", d::kIdLi);
  const auto r1 = outlet.sell(two_ids);
  INFO(r1.describe());
  CHECK(r1.exit_code == 2);

  auto two_households = sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv2) + "=1999.00");
  two_households.option("--household", d::kHouseholdB);
  const auto r2 = outlet.sell(two_households);
  INFO(r2.describe());
  CHECK(r2.exit_code == 2);

  auto two_names = sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv3) + "=1999.00");
  two_names.option("--buyer-name", "李四");
  const auto r3 = outlet.sell(two_names);
  INFO(r3.describe());
  CHECK(r3.exit_code == 2);

  CHECK(outlet.reader().count("sales") == 0);
}

TEST_CASE("a first-generation 15-digit ID number is accepted and printed in its 18-digit form", "[cli][sale][buyer]") {
  DemoOutlet outlet;
  const std::string invoice_file = outlet.file("invoice.txt");
  // 341322 800101 123: born 1980-01-01; as 18 digits 341322 19800101 123 and check digit 9.
  const auto r = outlet.sell(sale_to("张三", "341322800101123", d::kHouseholdA)
                                 .item(std::string(d::kTv1) + "=1999.00")
                                 .option("--invoice-out", invoice_file));
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  CHECK(r.json().at("status") == "accepted");
  const auto text = read_file(invoice_file);
  REQUIRE(text);
  CHECK(contains(*text, d::kIdZhang));
}

TEST_CASE("a buyer name or household number that is not UTF-8 is bad input, not a garbled invoice",
          "[cli][sale][usage]") {
  // Issue 2 "Bad input": wrong encoding gets a message naming the field. "张三" in GBK, as a
  // terminal in a GBK locale would pass it, must not be committed and printed as mojibake.
  DemoOutlet outlet;
  const auto name = outlet.sell(sale_to("\xD5\xC5\xC8\xFD", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00"));
  INFO(name.describe());
  CHECK(name.exit_code == 2);
  const auto household = outlet.sell(sale_to("张三", d::kIdZhang, "\xC4\xE3\xBA\xC3").item(std::string(d::kTv2) + "=1999.00"));
  INFO(household.describe());
  CHECK(household.exit_code == 2);
  CHECK(outlet.reader().count("sales") == 0);
}
