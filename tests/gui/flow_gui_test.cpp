// Corrections and questions at the counter (issue 16): a wrong serial corrected by scanning
// the right one, the buyer panel moved through with Enter only, 户号 checked for its form,
// stale marks cleared, F7 and a return asking first, F10 saying why, the lock screen's keys.
#include <catch2/catch.hpp>

#include "counter_harness.hpp"

using hn::test::Counter;
using namespace hn::test;
using nlohmann::json;

namespace {
bool contains(const json& j, const std::string& what) {
  return j.get<std::string>().find(what) != std::string::npos;
}

bool has_digit(const std::string& s) {
  return s.find_first_of("0123456789") != std::string::npos;
}
}  // namespace

TEST_CASE("a wrong serial is corrected on its own line by scanning the right one", "[gui][flow][correction]") {
  Counter c;
  c.login(kClerkPin);
  c.buyer(kIdZhang, "Zhang San", "3413220012");
  // A serial before any card opens no line: it is not a card.
  c.scan(kTv1Serial);
  const json lost = c.wait_for("scan_outcome");
  CHECK(lost["outcome"] == "no_line_waits");
  CHECK(lost["lines"] == 0);
  c.scan(kTv1);
  c.wait_for("screen", [](const json& s) { return s.contains("scan_to_shown_ms") && s["lines"].size() == 1; });
  c.scan(kTv2Serial);  // the box beside it: the wrong serial
  // The detail pane (written just before the screen) shows the card, both serials and the
  // refusal whole.
  const json detail = c.wait_for("line_detail", [](const json& d) { return contains(d["text"], "CARD_SERIAL_MISMATCH"); });
  const std::string text = detail["text"];
  CHECK(text.find(kTv1) != std::string::npos);
  CHECK(text.find(kTv2Serial) != std::string::npos);
  CHECK(text.find(kTv1Serial) != std::string::npos);  // the serial the card expects, in the message
  const json wrong = c.wait_for("screen", [](const json& s) { return has_finding(s, "CARD_SERIAL_MISMATCH"); });
  REQUIRE(wrong["lines"].size() == 1);
  CHECK(wrong["lines"][0]["state"] == "refused");
  CHECK(wrong["checkout_enabled"] == false);
  CHECK(contains(wrong["hint"], "1"));
  c.screenshot("serial-correction");
  // F10 now says why, never nothing.
  c.key("F10");
  const json blocked = c.wait_for("checkout_blocked");
  REQUIRE_FALSE(blocked["reasons"].empty());
  CHECK(blocked["reasons"][0]["code"] == "CARD_SERIAL_MISMATCH");
  CHECK(contains(blocked["hint"], "CARD_SERIAL_MISMATCH"));
  // The right serial: the same line, corrected, and the sale goes through.
  c.scan(kTv1Serial);
  // The screen, then what became of the scan.
  const json ready = c.wait_for("screen", [](const json& s) { return s["checkout_enabled"] == true; });
  const json fixed = c.wait_for("scan_outcome");
  CHECK(fixed["outcome"] == "serial_replaced");
  CHECK(fixed["line"] == 0);
  REQUIRE(ready["lines"].size() == 1);
  CHECK(ready["lines"][0]["card"] == kTv1);
  CHECK(ready["lines"][0]["serial"] == kTv1Serial);
  CHECK_FALSE(has_finding(ready, "CARD_SERIAL_MISMATCH"));
  c.checkout_cash();
  c.wait_for("sale_committed");
  CHECK(c.count("SELECT COUNT(*) FROM sale_items") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM sale_items WHERE serial_no = '" + std::string(kTv1Serial) + "'") == 1);
}

TEST_CASE("F10 on a sale still waiting for a serial says which", "[gui][flow][blocked]") {
  Counter c;
  c.login(kClerkPin);
  c.buyer(kIdZhang, "Zhang San", "3413220012");
  c.scan(kTv1);
  c.wait_for("screen", [](const json& s) { return s.contains("scan_to_shown_ms"); });
  c.key("F10");
  const json blocked = c.wait_for("checkout_blocked");
  REQUIRE(blocked["reasons"].size() == 1);
  CHECK(blocked["reasons"][0]["code"] == "SERIAL_MISSING");
  CHECK(contains(blocked["hint"], kTv1));
  CHECK(c.count("SELECT COUNT(*) FROM sales") == 0);
}

TEST_CASE("the buyer panel moves on with Enter only and 户号 must be a household number", "[gui][flow][entry]") {
  Counter c;
  c.login(kClerkPin);
  // Typed as the README says, Enter after each: every field lands where it belongs.
  c.type(kIdZhang, 40);
  c.key("Return");
  c.wait_for("id_accepted");
  c.enter("Zhang San", 20);
  c.enter("3413220012", 20);
  const json good = c.wait_for("screen", [](const json& s) {
    return s["buyer"]["name_set"] == true && has_digit(s["buyer"]["remaining"].get<std::string>());
  });
  CHECK(good["buyer"]["household_state"] == "");
  CHECK(good["buyer"]["id_set"] == true);
  // The next buyer: a name typed into 户号 is refused with its code, and no quota is shown.
  c.key("F7");  // no lines: no question
  c.wait_for("new_sale");
  c.type(kIdZhang, 40);
  c.key("Return");
  c.wait_for("id_accepted");
  c.enter("Zhang San", 20);
  c.type("Zhang San", 20);
  const json bad = c.wait_for("screen", [](const json& s) { return contains(s["buyer"]["household_state"], "HOUSEHOLD_FORM"); });
  CHECK_FALSE(has_digit(bad["buyer"]["remaining"].get<std::string>()));
  CHECK(bad["buyer"]["id_state"] != "");
  // F2 again starts a new number: the ✓ goes with the old one, and the sale has no buyer ID.
  c.key("F2");
  c.wait_for("id_cleared");
  const json cleared = c.wait_for("screen", [](const json& s) { return s["buyer"]["id_set"] == false; });
  CHECK(cleared["buyer"]["id_state"] == "");
}

TEST_CASE("F7 on a sale with lines asks first: Enter keeps the sale, Y throws it away", "[gui][flow][question]") {
  Counter c;
  c.login(kClerkPin);
  c.buyer(kIdZhang, "Zhang San", "3413220012");
  c.scan(kTv1);
  c.scan(kTv1Serial);
  c.wait_for("screen", [](const json& s) { return s["checkout_enabled"] == true; });
  c.key("F7");
  const json q = c.wait_for("question");
  CHECK(q["id"] == "new_sale");
  CHECK(q["total"] == "1999.00");
  CHECK(contains(q["text"], "1999.00"));
  c.key("Return");  // the habit key: the safe answer
  CHECK(c.wait_for("answer")["answer"] == "safe");
  CHECK(c.settled_screen()["lines"].size() == 1);
  c.key("F7");
  c.wait_for("question");
  c.key("y");
  CHECK(c.wait_for("answer")["answer"] == "risky");
  c.wait_for("new_sale");
  CHECK(c.settled_screen()["lines"].empty());
  // An empty sale is thrown away without a question.
  c.key("F7");
  c.wait_for("new_sale");
}

TEST_CASE("a return asks before it goes through, naming the refund", "[gui][flow][question][returns]") {
  Counter c("wang");
  c.login(kManagerPin);
  c.buyer(kIdZhang, "Zhang San", "3413220012");
  c.scan(kTv1);
  c.scan(kTv1Serial);
  c.wait_for("screen", [](const json& s) { return s["checkout_enabled"] == true; });
  c.checkout_cash();
  c.wait_for("sale_committed");
  c.key("F9");
  c.wait_for("manager_menu");
  c.key("3");
  c.wait_for("returns_shown");
  c.type(kTv1, 2);
  c.key("Tab");
  c.key("Tab");
  c.enter("screen dead on arrival", 2);
  const json q = c.wait_for("question");
  CHECK(q["id"] == "open_return");
  CHECK(q["amount"] == "1999.00");
  CHECK(contains(q["text"], "1999.00"));
  c.key("Return");  // one Enter too many: nothing is returned
  CHECK(c.wait_for("answer")["answer"] == "safe");
  c.settled_screen();
  CHECK(c.count("SELECT COUNT(*) FROM returns") == 0);
  CHECK(c.count("SELECT COUNT(*) FROM return_requests") == 0);
  c.key("Return");  // the fields are still filled: asked again, and confirmed
  c.wait_for("question");
  c.key("y");
  CHECK(c.wait_for("return_step")["completed"] == true);
  CHECK(c.count("SELECT COUNT(*) FROM returns") == 1);
}

TEST_CASE("on the lock screen Up and Down choose the operator and the PIN still goes in", "[gui][flow][login]") {
  Counter c;  // li preselected, the focus in the PIN field
  const json clock = c.wait_for("clock", nullptr, 5);
  CHECK(clock["left"].get<int>() + clock["width"].get<int>() <= clock["strip_width"].get<int>());
  CHECK(clock["width"].get<int>() >= clock["needs"].get<int>());
  c.key("Down");
  CHECK(c.wait_for("login_user_chosen")["login"] == "wang");
  c.key("Up");
  CHECK(c.wait_for("login_user_chosen")["login"] == "li");
  c.key("Down");
  c.wait_for("login_user_chosen");
  c.enter(kManagerPin, 30);
  CHECK(c.wait_for("logged_in")["user"] == "wang");
}
