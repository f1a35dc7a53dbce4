// Hold and recall at the counter (挂单/取单, issue 16): F8 with lines holds the sale and clears
// the counter; F8 on an empty counter lists the held sales, Enter recalls one; a held card is
// refused to another buyer; dropping asks first and Enter keeps the held sale.
#include <catch2/catch.hpp>

#include "counter_harness.hpp"

using hn::test::Counter;
using namespace hn::test;
using nlohmann::json;

namespace {
constexpr const char* kIdLi = "341322197512124513";

void scan_tv(Counter& c, const char* card, const char* serial) {
  c.scan(card);
  c.wait_for("screen", [&](const json& s) { return s.contains("scan_to_shown_ms"); });
  c.scan(serial);
  c.wait_for("screen", [&](const json& s) { return !s["lines"].empty() && s["lines"].back()["serial"] == serial; });
}

// 张三 (Zhang San) has TV 1 scanned, then goes home for the 户口簿: F8 holds the sale.
void hold_zhang(Counter& c) {
  c.login(kClerkPin);
  c.buyer(kIdZhang, "Zhang San", "3413220012");
  scan_tv(c, kTv1, kTv1Serial);
  c.key("F8");
  const json held = c.wait_for("sale_held");
  CHECK(held["hold"] == 1);
  CHECK(held["label"].get<std::string>().find("#1") != std::string::npos);
  // The counter is clear for the next buyer.
  CHECK(c.wait_for("screen", [](const json& s) { return s["lines"].empty(); })["lines"].empty());
  CHECK(c.count("SELECT COUNT(*) FROM held_sales WHERE state = 'held'") == 1);
}

}  // namespace

TEST_CASE("a sale held with F8 waits while another buyer is served, then is recalled with Enter and sold",
          "[gui][hold]") {
  Counter c;
  hold_zhang(c);
  // 李四 buys TV 2 meanwhile.
  c.buyer(kIdLi, "Li Si", "3413220047");
  scan_tv(c, kTv2, kTv2Serial);
  c.checkout_cash();
  CHECK(c.wait_for("sale_committed")["invoice_no"] == "00000001");
  c.wait_for("invoice_printed");
  // 张三 is back: F8 on the empty counter lists the held sales.
  c.key("F8");
  const json list = c.wait_for("hold_list");
  REQUIRE(list["held"].size() == 1);
  CHECK(list["held"][0]["hold"] == 1);
  CHECK(list["held"][0]["buyer"] == "Zhang San");
  CHECK(list["held"][0]["id_masked"] == "3413**********1239");
  CHECK(list["held"][0]["items"] == 1);
  CHECK(list["held"][0]["total"] == "1999.00");
  CHECK(list["held"][0]["by"] == "li");
  c.screenshot("held-sales");
  c.key("Return");
  CHECK(c.wait_for("hold_recalled")["hold"] == 1);
  // The recalled lines are checked again by the same preview: ready to check out.
  const json ready = c.wait_for("screen", [](const json& s) { return s["checkout_enabled"] == true; });
  REQUIRE(ready["lines"].size() == 1);
  CHECK(ready["lines"][0]["card"] == kTv1);
  CHECK(ready["lines"][0]["serial"] == kTv1Serial);
  c.checkout_cash();
  CHECK(c.wait_for("sale_committed")["invoice_no"] == "00000002");
  CHECK(c.count("SELECT COUNT(*) FROM held_sales WHERE state = 'sold'") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM label_cards WHERE state = 'sold'") == 2);
  // The trace never holds the buyer's ID number in full.
  CHECK(read_text(c.trace_file()).find(kIdZhang) == std::string::npos);
}

TEST_CASE("a held card scanned for another buyer is refused on screen with CARD_HELD", "[gui][hold]") {
  Counter c;
  hold_zhang(c);
  c.buyer(kIdLi, "Li Si", "3413220047");
  c.scan(kTv1);
  const json refused = c.wait_for("screen", [](const json& s) { return has_finding(s, "CARD_HELD"); });
  for (const auto& f : refused["findings"])
    if (f["code"] == "CARD_HELD") CHECK(f["message_zh"].get<std::string>().find("#1") != std::string::npos);
  CHECK(refused["checkout_enabled"] == false);
  c.screenshot("held-card-refused");
}

TEST_CASE("Delete in the held sales list asks first and Enter keeps the held sale", "[gui][hold]") {
  Counter c;
  hold_zhang(c);
  c.key("F8");
  c.wait_for("hold_list");
  c.key("Delete");
  const json asked = c.wait_for("question");
  CHECK(asked["id"] == "drop_hold");
  CHECK(asked["hold"] == 1);
  c.key("Return");
  CHECK(c.wait_for("hold_kept")["hold"] == 1);
  c.key("Escape");
  CHECK(c.count("SELECT COUNT(*) FROM held_sales WHERE state = 'held'") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM journal WHERE kind = 'hold_dropped'") == 0);
}

TEST_CASE("closing the day over a held sale asks the manager: Enter keeps it and closes nothing, Y drops it and signs",
          "[gui][hold]") {
  Counter c("wang");
  c.login(kManagerPin);
  c.buyer(kIdZhang, "Zhang San", "3413220012");
  scan_tv(c, kTv1, kTv1Serial);
  c.key("F8");
  CHECK(c.wait_for("sale_held")["hold"] == 1);
  c.key("F9");
  c.wait_for("manager_menu");
  c.key("8");
  c.wait_for("closing_shown");
  c.type("0.00", 20);
  c.key("Return");
  c.wait_for("closing_difference");
  c.key("Return");
  CHECK(c.wait_for("closing_refused")["code"] == "HELD_SALES_OPEN");
  json asked = c.wait_for("question");
  CHECK(asked["id"] == "drop_held_for_closing");
  CHECK(asked["text"].get<std::string>().find("Zhang San") != std::string::npos);
  c.key("Return");  // the safe answer: the held sale stays, the day stays open
  CHECK(c.wait_for("answer")["answer"] == "safe");
  CHECK(c.count("SELECT COUNT(*) FROM closings") == 0);
  CHECK(c.count("SELECT COUNT(*) FROM held_sales WHERE state = 'held'") == 1);
  // Enter again signs again: asked again, and Y drops the held sale with the closing.
  c.key("Return");
  CHECK(c.wait_for("question", [](const json& q) { return q["id"] == "drop_held_for_closing"; })["id"] ==
        "drop_held_for_closing");
  c.key("y");
  c.wait_for("closing_signed");
  CHECK(c.count("SELECT COUNT(*) FROM closings") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM held_sales WHERE state = 'held'") == 0);
  CHECK(c.count("SELECT COUNT(*) FROM journal WHERE kind = 'hold_dropped'") == 1);
}
