// The counter's payment step (issue 16): after F10's checks, before the commit. Enter alone is
// the amount due exactly in cash; cash tendered shows its change as it is typed and the change
// is stored and printed; a bank card and cash split the amount; Esc goes back to the cart and
// stores nothing; what core/payment refuses is said in the dialog; the drawer opens for cash.
#include <catch2/catch.hpp>

#include "counter_harness.hpp"
#include "printer/sink.hpp"

using hn::printer::parse_escpos;
using hn::printer::PrintedItem;
using hn::printer::Printout;
using hn::printer::SinkServer;
using hn::test::Counter;
using namespace hn::test;
using nlohmann::json;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The buyer and the TV at `price` (the bid price is 1999.00), ready for F10.
void cart_with_tv(Counter& c, const std::string& price = "1999.00") {
  c.buyer(kIdZhang, "Zhang San", "3413220012");
  c.scan(kTv1);
  c.wait_for("screen", [](const json& s) { return s.contains("scan_to_shown_ms"); });
  c.scan(kTv1Serial);
  c.wait_for("screen", [](const json& s) { return s["checkout_enabled"] == true; });
  if (price == "1999.00") return;
  c.key("F4");
  c.key("ctrl+a");
  c.enter(price.substr(0, price.find('.')), 20);
  c.wait_for("screen", [&](const json& s) {
    return s["checkout_enabled"] == true && !s["lines"].empty() && s["lines"][0]["price"] == price;
  });
}

// An outlet whose invoices go to the ESC/POS sink, with the drawer on the receipt printer.
std::function<void(const std::string&)> outlet_printing_to(const SinkServer& sink) {
  const std::string uri = "escpos+tcp://127.0.0.1:" + std::to_string(sink.port());
  return [uri](const std::string& db) {
    make_demo_outlet(db);
    run_cli(db, {"setting", "set", "--user", "wang", "--key", "device.invoice_printer", "--value", uri},
            {{"HUINONG_PIN", kManagerPin}});
    run_cli(db, {"setting", "set", "--user", "wang", "--key", "device.cash_drawer", "--value", "escpos"},
            {{"HUINONG_PIN", kManagerPin}});
  };
}

bool paper_has(const Printout& p, const std::string& part) {
  for (const auto& l : p.lines())
    if (contains(l, part)) return true;
  return false;
}

}  // namespace

TEST_CASE("F10 then Enter sells the TV paid exactly in cash", "[gui][payment]") {
  Counter c;
  c.login(kClerkPin);
  cart_with_tv(c);
  c.key("F10");
  CHECK(c.wait_for("payment_shown")["due"] == "1999.00");
  CHECK(c.count("SELECT COUNT(*) FROM sales") == 0);  // nothing is committed before the payment
  c.key("Return");
  const json done = c.wait_for("payment_done");
  CHECK(done["methods"] == json::array({"cash"}));
  CHECK(done["change"] == "0.00");
  const json sold = c.wait_for("sale_committed");
  CHECK(sold["total"] == "1999.00");
  CHECK(sold["drawer"] == true);
  CHECK(c.count("SELECT COUNT(*) FROM sale_payments WHERE method = 'cash' AND amount = 199900 AND change = 0") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM sale_payments") == 1);
}

TEST_CASE("cash tendered 2000 for a 1899 TV shows change 101.00, stores it and prints it", "[gui][payment]") {
  Counter c;
  c.login(kClerkPin);
  cart_with_tv(c, "1899.00");
  c.key("F10");
  CHECK(c.wait_for("payment_shown")["due"] == "1899.00");
  c.type("2000", 60);  // a person counting the notes in
  const json live = c.wait_for("payment_state", [](const json& s) { return s["change"] == "101.00"; });
  CHECK(contains(live["change_shown"].get<std::string>(), "101.00"));
  CHECK(live["still_due"] == "1899.00");  // nothing taken yet: the change is what the typed cash gives
  c.screenshot("payment-step");
  c.key("Return");
  const json done = c.wait_for("payment_done");
  CHECK(done["change"] == "101.00");
  CHECK(done["payments"][0]["amount"] == "2000.00");
  const json sold = c.wait_for("sale_committed");
  CHECK(sold["change"] == "101.00");
  c.wait_for("invoice_printed");
  CHECK(c.count("SELECT COUNT(*) FROM sale_payments WHERE method = 'cash' AND amount = 200000 AND change = 10100") ==
        1);
  const std::string text = read_text(c.invoice_dir() + "/invoice-00000001.txt");
  INFO(text);
  CHECK(contains(text, "实收 Paid 现金 Cash: 2000.00"));
  CHECK(contains(text, "找零 Change: 101.00"));
}

TEST_CASE("a bank card and cash split the amount, both on the printed receipt, and the drawer opens",
          "[gui][payment][printer]") {
  SinkServer sink;
  Counter c("li", {}, outlet_printing_to(sink));
  c.login(kClerkPin);
  cart_with_tv(c);
  c.key("F10");
  c.wait_for("payment_shown");
  c.key("F3");  // 银行卡
  c.wait_for("payment_method", [](const json& e) { return e["method"] == "card"; });
  c.type("500", 40);
  c.key("Return");  // on to the reference the card slip carries
  c.wait_for("payment_reference_asked");
  c.enter("POS-0001", 20);
  const json added = c.wait_for("payment_added");
  CHECK(added["method"] == "card");
  CHECK(added["still_due"] == "1499.00");
  c.enter("1500", 40);  // the rest in cash, a note over
  const json done = c.wait_for("payment_done");
  CHECK(done["methods"] == json::array({"card", "cash"}));
  CHECK(done["change"] == "1.00");
  CHECK(c.wait_for("sale_committed")["drawer"] == true);
  c.wait_for("print_ok");
  CHECK(c.count("SELECT COUNT(*) FROM sale_payments WHERE seq = 1 AND method = 'card' AND amount = 50000 AND "
                "reference = 'POS-0001' AND change = 0") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM sale_payments WHERE seq = 2 AND method = 'cash' AND amount = 150000 AND "
                "change = 100") == 1);
  REQUIRE(sink.wait_for_jobs(1, 20000));
  const Printout paper = parse_escpos(sink.jobs()[0]);
  CHECK(paper_has(paper, "实收 Paid 银行卡 Card (POS-0001):"));
  CHECK(paper_has(paper, "实收 Paid 现金 Cash:"));
  CHECK(paper_has(paper, "￥1500.00"));
  CHECK(paper_has(paper, "找零 Change:"));
  CHECK(paper.of(PrintedItem::Kind::DrawerKick).size() == 1);
}

TEST_CASE("Esc at the payment step goes back to the cart and stores nothing", "[gui][payment]") {
  Counter c;
  c.login(kClerkPin);
  const auto journal_before = c.count("SELECT COUNT(*) FROM journal");
  cart_with_tv(c);
  c.key("F10");
  c.wait_for("payment_shown");
  c.type("2000", 40);
  c.key("Escape");
  c.wait_for("payment_cancelled");
  c.settled_screen();
  CHECK(c.count("SELECT COUNT(*) FROM sales") == 0);
  CHECK(c.count("SELECT COUNT(*) FROM sale_payments") == 0);
  CHECK(c.count("SELECT COUNT(*) FROM label_cards WHERE state <> 'in_stock'") == 0);
  CHECK(c.count("SELECT COUNT(*) FROM journal") == journal_before);
  // The cart is as it was: F10, Enter sells it.
  c.checkout_cash();
  CHECK(c.wait_for("sale_committed")["total"] == "1999.00");
  CHECK(c.count("SELECT COUNT(*) FROM sales") == 1);
}

TEST_CASE("a card over the amount due and a card without its reference are refused in the dialog, "
          "and a sale paid by card alone keeps the drawer shut",
          "[gui][payment][printer]") {
  SinkServer sink;
  Counter c("li", {}, outlet_printing_to(sink));
  c.login(kClerkPin);
  cart_with_tv(c);
  c.key("F10");
  c.wait_for("payment_shown");
  c.key("F4");  // 移动支付
  c.wait_for("payment_method", [](const json& e) { return e["method"] == "mobile"; });
  c.type("2500", 40);
  c.key("Return");
  c.wait_for("payment_reference_asked");
  c.enter("WX-77", 20);
  const json over = c.wait_for("payment_refused");
  CHECK(over["code"] == "PAYMENT_INVALID");
  CHECK(contains(over["text"].get<std::string>(), "不找零"));  // said in Chinese, with what to do
  CHECK(contains(over["text"].get<std::string>(), "1999.00"));
  // The card for all of it, its reference left out: refused, then given.
  c.key("F3");
  c.wait_for("payment_method", [](const json& e) { return e["method"] == "card"; });
  c.key("BackSpace");  // the refused amount was selected: empty is all that is still due
  c.key("Return");
  c.wait_for("payment_reference_asked");
  c.key("Return");
  const json no_ref = c.wait_for("payment_refused");
  CHECK(no_ref["code"] == "PAYMENT_INVALID");
  CHECK(contains(no_ref["text"].get<std::string>(), "参考号"));
  c.enter("POS-0002", 20);
  const json done = c.wait_for("payment_done");
  CHECK(done["methods"] == json::array({"card"}));
  CHECK(c.wait_for("sale_committed")["drawer"] == false);
  c.wait_for("print_ok");
  REQUIRE(sink.wait_for_jobs(1, 20000));
  const Printout paper = parse_escpos(sink.jobs()[0]);
  CHECK(paper_has(paper, "实收 Paid 银行卡 Card (POS-0002):"));
  CHECK(paper.of(PrintedItem::Kind::DrawerKick).empty());
  CHECK(c.count("SELECT COUNT(*) FROM sale_payments WHERE method = 'card' AND amount = 199900") == 1);
}
