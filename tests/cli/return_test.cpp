// `huinong return`: a manager approves, the household gets its quota back (POLICY R6), the card
// is destroyed; wrong approvers and repeated or unknown returns are refused.
#include <catch2/catch.hpp>

#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {
std::string at(const char* card, const char* price) { return std::string(card) + "=" + price; }

// The demo outlet after one TV sold to household A on invoice 00000001.
void sell_first_tv(const DemoOutlet& outlet) {
  const auto r = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(at(d::kTv1, "1999.00")));
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.json().at("invoice_no") == "00000001");
}

std::string card_state(const DemoOutlet& outlet, const char* card) {
  const auto v = outlet.reader().column(std::string("SELECT state FROM label_cards WHERE card_no = '") + card + "'");
  return v.empty() ? "" : v[0];
}
}  // namespace

TEST_CASE("a manager-approved return completes and gives the household its TV quota back", "[cli][return]") {
  DemoOutlet outlet;
  sell_first_tv(outlet);

  const auto r = outlet.return_item("00000001", d::kTv1);
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  CHECK(r.json().at("status") == "completed");
  const DbReader db = outlet.reader();
  CHECK(db.count("returns") == 1);
  CHECK(card_state(outlet, d::kTv1) == "returned");  // taken back and destroyed

  // POLICY R6: the household may buy a TV again.
  const auto again = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(at(d::kTv2, "1999.00")));
  INFO(again.describe());
  CHECK(again.exit_code == 0);
  CHECK(again.json().at("status") == "accepted");
  CHECK(again.json().at("invoice_no") == "00000002");  // the returned sale keeps its number

  const auto date = db.column("SELECT sale_date FROM sales WHERE invoice_no = 1");
  REQUIRE(date.size() == 1);
  const auto report = outlet.as_manager({"report", "daily", "--user", d::kManager, "--date", date[0], "--format", "json"});
  INFO(report.describe());
  REQUIRE(report.exit_code == 0);
  CHECK(report.json().at("returns_count") == 1);
}

TEST_CASE("a returned label card cannot be sold again", "[cli][return][card]") {
  DemoOutlet outlet;
  sell_first_tv(outlet);
  const auto r = outlet.return_item("00000001", d::kTv1);
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);

  // POLICY S1: a card can be sold once; the returned one was destroyed.
  const auto resale = outlet.sell(sale_to("李四", d::kIdLi, d::kHouseholdB).item(at(d::kTv1, "1999.00")));
  INFO(resale.describe());
  CHECK(resale.exit_code == 3);
  CHECK(has_finding(resale.json(), "CARD_ALREADY_SOLD", "refuse"));
}

TEST_CASE("a return approved by a clerk is not permitted", "[cli][return][auth]") {
  DemoOutlet outlet;
  sell_first_tv(outlet);
  const auto r = outlet.return_item("00000001", d::kTv1, d::kClerk, d::kClerkPin);
  INFO(r.describe());
  CHECK(r.exit_code == 4);
  CHECK(outlet.reader().count("returns") == 0);
  CHECK(card_state(outlet, d::kTv1) == "sold");
}

TEST_CASE("a return with a wrong or missing approver PIN is not permitted", "[cli][return][auth]") {
  DemoOutlet outlet;
  sell_first_tv(outlet);
  const auto wrong = outlet.return_item("00000001", d::kTv1, d::kManager, d::kWrongPin);
  INFO(wrong.describe());
  CHECK(wrong.exit_code == 4);

  const auto missing = outlet.run({"return", "--user", d::kClerk, "--approver", d::kManager, "--invoice", "00000001",
                                   "--card", d::kTv1},
                                  {{"HUINONG_PIN", d::kClerkPin}});
  INFO(missing.describe());
  CHECK(missing.exit_code == 4);
  CHECK(outlet.reader().count("returns") == 0);
}

TEST_CASE("returning the same card twice is refused", "[cli][return]") {
  DemoOutlet outlet;
  sell_first_tv(outlet);
  const auto first = outlet.return_item("00000001", d::kTv1);
  INFO(first.describe());
  REQUIRE(first.exit_code == 0);
  const auto second = outlet.return_item("00000001", d::kTv1);
  INFO(second.describe());
  CHECK(second.exit_code == 3);
  CHECK(outlet.reader().count("returns") == 1);
}

TEST_CASE("returning on an unknown invoice is bad input", "[cli][return]") {
  DemoOutlet outlet;
  sell_first_tv(outlet);
  const auto r = outlet.return_item("00000042", d::kTv1);
  INFO(r.describe());
  CHECK(r.exit_code == 2);
  const auto& e = error_of(r.json());
  CHECK(has_cjk(e.at("message_zh").get<std::string>()));
  CHECK(contains(e.at("message_en").get<std::string>(), "00000042"));
  CHECK(outlet.reader().count("returns") == 0);
}
