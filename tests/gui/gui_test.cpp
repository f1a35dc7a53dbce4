// The counter application under Xvfb, driven as a clerk drives it: keyboard and scanner only.
#include <catch2/catch.hpp>

#include <fstream>

#include "counter_harness.hpp"

using hn::test::Counter;
using namespace hn::test;
using nlohmann::json;

namespace {
void scan_tv(Counter& c, const char* card, const char* serial) {
  c.scan(card);
  c.wait_for("screen", [&](const json& s) { return s.contains("scan_to_shown_ms"); });
  c.scan(serial);
  c.wait_for("screen", [&](const json& s) {
    return !s["lines"].empty() && s["lines"].back()["serial"] == serial;
  });
}

// The manager sells a TV (invoice 00000001, printed) and opens the returns screen (F9, 3).
void sell_tv_then_open_returns(Counter& c) {
  c.login(kManagerPin);
  c.buyer(kIdZhang, "Zhang San", "3413220012");
  scan_tv(c, kTv1, kTv1Serial);
  c.checkout_cash();
  c.wait_for("sale_committed");
  c.wait_for("invoice_printed");
  c.key("F9");
  c.wait_for("manager_menu");
  c.key("3");
  c.wait_for("returns_shown");
}
}  // namespace

TEST_CASE("a clerk sells a TV with scanner-speed scans and the invoice is printed to a file", "[gui]") {
  Counter c;
  c.screenshot("login");
  c.login(kClerkPin);
  c.screenshot("sale-empty");
  c.buyer(kIdZhang, "Zhang San", "3413220012");
  c.scan(kTv1);
  const json line = c.wait_for("screen", [](const json& s) { return s.contains("scan_to_shown_ms"); });
  REQUIRE(line["lines"].size() == 1);
  CHECK(line["lines"][0]["card"] == kTv1);
  CHECK(line["lines"][0]["card_entry"] == "scanner");
  CHECK(line["lines"][0]["model"] == "HISENSE-TLM26V68");
  CHECK(line["lines"][0]["price"] == "1999.00");  // defaults to the bid price
  CHECK(line["lines"][0]["subsidy"] == "259.87");
  CHECK(line["checkout_enabled"] == false);  // the serial is still missing
  c.scan(kTv1Serial);
  const json ready = c.wait_for("screen", [](const json& s) { return s["checkout_enabled"] == true; });
  CHECK(ready["lines"][0]["serial"] == kTv1Serial);
  c.checkout_cash();
  const json sold = c.wait_for("sale_committed");
  CHECK(sold["invoice_no"] == "00000001");
  CHECK(sold["total"] == "1999.00");
  c.wait_for("invoice_printed");
  const std::string text = read_text(c.invoice_dir() + "/invoice-00000001.txt");
  // POLICY S4: buyer, full ID number and every card in the top-right block.
  CHECK(text.find(kIdZhang) != std::string::npos);
  CHECK(text.find(kTv1) != std::string::npos);
  CHECK(text.find("Zhang San") != std::string::npos);
  CHECK(read_text(c.invoice_dir() + "/invoice-00000001.png").substr(1, 3) == "PNG");
  CHECK(c.count("SELECT COUNT(*) FROM sales") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM label_cards WHERE state = 'sold'") == 1);
  c.screenshot("sale-after-checkout");
}

TEST_CASE("a card number typed by a person is told from a scan", "[gui]") {
  Counter c;
  c.login(kClerkPin);
  c.buyer(kIdZhang, "Zhang San", "3413220012");
  c.enter(kTv1, 90);  // a person at 90 ms a key
  const json typed = c.wait_for("screen", [](const json& s) { return s.contains("scan_to_shown_ms"); });
  CHECK(typed["lines"][0]["card_entry"] == "typed");
  c.scan(kTv1Serial);
  c.scan(kTv2);
  const json scanned = c.wait_for("screen", [](const json& s) {
    return s.contains("scan_to_shown_ms") && s["lines"].size() == 2;
  });
  CHECK(scanned["lines"][1]["card_entry"] == "scanner");
}

TEST_CASE("an over-cap price is refused with its message and checkout stays disabled", "[gui]") {
  Counter c;
  c.login(kClerkPin);
  c.buyer(kIdZhang, "Zhang San", "3413220012");
  scan_tv(c, kTv1, kTv1Serial);
  c.key("F4");
  c.key("ctrl+a");
  c.enter("2100", 20);
  const json refused = c.wait_for("screen", [](const json& s) { return has_finding(s, "PRICE_OVER_CAP"); });
  const json f = finding(refused, "PRICE_OVER_CAP");
  CHECK(f["severity"] == "refuse");
  CHECK(f["message_zh"].get<std::string>().find("2100.00") != std::string::npos);
  CHECK(f["message_zh"].get<std::string>().find("1999.00") != std::string::npos);
  CHECK(refused["lines"][0]["state"] == "refused");
  CHECK(refused["checkout_enabled"] == false);
  c.screenshot("sale-refused");
  c.key("F10");
  c.wait_for("checkout_blocked");
  CHECK(c.count("SELECT COUNT(*) FROM sales") == 0);
}

TEST_CASE("a second TV for the same household is refused at the counter", "[gui]") {
  Counter c;
  c.login(kClerkPin);
  c.buyer(kIdZhang, "Zhang San", "3413220012");
  scan_tv(c, kTv1, kTv1Serial);
  c.checkout_cash();
  c.wait_for("sale_committed");
  // Another member of the same household comes back for a second TV.
  c.buyer("341322197512124513", "Li Si", "3413220012");
  c.scan(kTv2);
  const json s = c.wait_for("screen", [](const json& j) { return has_finding(j, "HOUSEHOLD_LIMIT"); });
  CHECK(finding(s, "HOUSEHOLD_LIMIT")["severity"] == "refuse");
  CHECK(s["checkout_enabled"] == false);
}

TEST_CASE("a refused sale leaves no sale in the database, only the journaled attempt", "[gui]") {
  Counter c;
  c.login(kClerkPin);
  const auto journal_before = c.count("SELECT COUNT(*) FROM journal");
  c.buyer(kIdZhang, "Zhang San", "3413220012");
  scan_tv(c, kTv1, kTv1Serial);
  c.key("F4");
  c.key("ctrl+a");
  c.enter("2500", 20);
  c.wait_for("screen", [](const json& s) { return has_finding(s, "PRICE_OVER_CAP"); });
  c.key("F10");
  c.wait_for("checkout_blocked");
  c.key("F7");  // the clerk gives up and starts over: asked first, and confirms
  c.wait_for("question", [](const json& q) { return q["id"] == "new_sale"; });
  c.key("y");
  c.wait_for("new_sale");
  c.settled_screen();
  CHECK(c.count("SELECT COUNT(*) FROM sales") == 0);
  CHECK(c.count("SELECT COUNT(*) FROM sale_items") == 0);
  CHECK(c.count("SELECT COUNT(*) FROM outbox") == 0);
  CHECK(c.count("SELECT COUNT(*) FROM label_cards WHERE state <> 'in_stock'") == 0);
  // F10 on the refused cart is an attempt the manager's report counts: one entry, no buyer.
  CHECK(c.count("SELECT COUNT(*) FROM journal") == journal_before + 1);
  CHECK(c.count("SELECT COUNT(*) FROM journal WHERE kind = 'sale_refused' AND "
                "json_extract(body, '$.codes[0]') = 'PRICE_OVER_CAP' AND body NOT LIKE '%341322%'") == 1);
}

TEST_CASE("five wrong PINs lock the clerk out until a manager unlocks", "[gui]") {
  Counter c;
  for (int i = 0; i < 4; ++i) {
    c.enter("0000", 10);
    CHECK(c.wait_for("login_failed")["code"] == "PIN_WRONG");
  }
  c.enter("0000", 10);
  CHECK(c.wait_for("login_failed")["code"] == "USER_LOCKED");
  c.enter(kClerkPin, 10);
  CHECK(c.wait_for("login_failed")["code"] == "USER_LOCKED");
  CHECK(c.count("SELECT locked FROM users WHERE login = 'li'") == 1);
}

TEST_CASE("the screen locks itself after the idle time", "[gui]") {
  Counter c("li", {"--idle-lock", "0.03"});  // about two seconds
  c.login(kClerkPin);
  CHECK(c.wait_for("locked", nullptr, 10)["why"] == "idle");
  c.enter(kClerkPin, 10);
  c.wait_for("logged_in");
}

TEST_CASE("a manager receives goods and reads the daily report from the manager screens", "[gui]") {
  Counter c("wang");
  c.login(kManagerPin);
  c.buyer(kIdZhang, "Zhang San", "3413220012");
  scan_tv(c, kTv1, kTv1Serial);
  c.checkout_cash();
  c.wait_for("sale_committed");
  c.key("F9");
  c.wait_for("manager_menu");
  c.key("4");
  const json report = c.wait_for("report_shown");
  CHECK(report["sales_count"] == 1);
  CHECK(report["total"] == "1999.00");
  CHECK(report["subsidy"] == "259.87");
  c.screenshot("daily-report");
  // The 30-day line and the clerk table have their data; F5 and F6 export beside the database.
  CHECK(report["series_days"] == 30);
  CHECK(report["clerks"] == 1);
  CHECK(report["pending_upload"] == 1);
  c.key("F5");
  const std::string csv_path = c.wait_for("report_exported")["path"];
  c.key("F6");
  const std::string pdf_path = c.wait_for("report_exported")["path"];
  auto head_of = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string head(5, '\0');
    in.read(head.data(), 5);
    return head;
  };
  CHECK(head_of(csv_path).substr(0, 3) == "\xEF\xBB\xBF");  // UTF-8 with BOM, for Excel
  CHECK(head_of(pdf_path) == "%PDF-");
  CHECK(csv_path.find("/reports/report-") != std::string::npos);
  c.key("Escape");
  c.key("1");  // goods receipt: a card of the demo batch scanned again is refused by its number
  c.wait_for("goods_receipt_shown");
  c.enter("HISENSE-TLM26V68", 20);
  c.wait_for("goods_model");
  c.scan("34080100000000010001");
  const json msg = c.wait_for("dialog_message");
  CHECK(msg["error"] == true);
  CHECK(msg["text"].get<std::string>().find("34080100000000010001") != std::string::npos);
  CHECK(c.count("SELECT COUNT(*) FROM goods_receipts") == 1);
}

TEST_CASE("a return is found by its label card on the returns screen and completes with its credit note",
          "[gui][returns]") {
  Counter c("wang");
  sell_tv_then_open_returns(c);
  // An invoice number alone is not enough: the product's card must be scanned too.
  c.enter("1", 60);
  CHECK(c.wait_for("dialog_message")["error"] == true);
  c.key("ctrl+a");
  c.type(kTv1, 2);  // the card scanned into the search field finds its invoice
  c.key("Tab");
  c.key("Tab");
  c.enter("screen dead on arrival", 2);
  c.wait_for("question", [](const json& q) { return q["id"] == "open_return"; });
  c.key("y");  // the refund is confirmed
  const json step = c.wait_for("return_step");
  CHECK(step["completed"] == true);
  CHECK(step["province_state"] == "never_uploaded");  // no province here: nothing was claimed
  const json msg = c.wait_for("dialog_message", [](const json& m) { return m["error"] == false; });
  CHECK(msg["text"].get<std::string>().find("1999.00") != std::string::npos);
  c.screenshot("returns-screen");
  CHECK(c.count("SELECT COUNT(*) FROM returns") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM label_cards WHERE state = 'returned'") == 1);
  CHECK(std::ifstream(c.invoice_dir() + "/credit-note-C00000001.txt").good());
  // The screen's log (the trace) never holds the buyer's ID in full, only masked.
  const std::string trace = read_text(c.trace_file());
  CHECK_FALSE(trace.empty());
  CHECK(trace.find(kIdZhang) == std::string::npos);
}

TEST_CASE("a faulty TV is exchanged for one of the same model on the returns screen and the invoice is reprinted",
          "[gui][returns][exchange]") {
  Counter c("wang");
  sell_tv_then_open_returns(c);
  c.type(kTv1, 2);  // the old card finds the invoice
  c.key("Tab");
  c.key("Tab");
  c.type("dead pixels", 2);
  c.key("Tab");
  c.type(kTv2, 2);  // the new unit's card and serial, scanned
  c.key("Tab");
  c.enter(kTv2Serial, 2);
  // In the order the screen writes them: its message, the exchange, then the printed invoice.
  const json msg = c.wait_for("dialog_message", [](const json& m) { return m["error"] == false; });
  CHECK(msg["text"].get<std::string>().find(kTv2) != std::string::npos);
  const json done = c.wait_for("exchange_done");
  CHECK(done["invoice_no"] == "00000001");
  CHECK(done["old_card"] == kTv1);
  CHECK(done["new_card"] == kTv2);
  c.wait_for("invoice_printed");
  c.screenshot("exchange-screen");
  const std::string text = read_text(c.invoice_dir() + "/invoice-00000001.txt");
  CHECK(text.find("换货 EXCHANGED") != std::string::npos);
  CHECK(text.find(kTv2) != std::string::npos);
  CHECK(text.find(kIdZhang) != std::string::npos);  // POLICY S4: in full on the invoice only
  CHECK(c.count("SELECT COUNT(*) FROM exchanges") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM label_cards WHERE state = 'returned'") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM sale_items WHERE card_no = '" + std::string(kTv2) + "'") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM returns") == 0);
}
