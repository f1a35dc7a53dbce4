// Everything in Chinese (issue 16): the counter's screens in zh_CN show no English word beyond
// product names, codes and the short allowlist of tests/gui/screen_text.hpp. Every text of
// every shown window is read back from the application itself (SIGUSR1 -> "screen_text"),
// with the button labels message boxes are given (wxWidgets' own catalog: 确定/取消/是/否).
//
// Adding a screen: reach it by keys as a clerk or manager would, wait until it is up, then
//     check_chinese_screen(c, "<its Chinese title>");
// (a message box: check_chinese_message(c, "<its caption>") right after the key that opens it).
// Screens still to add here as they land (issue 16): payment, hold list, closing, backups,
// province connection, users' PIN reset and role, goods receipt by scanning, stock view.
#include <catch2/catch.hpp>

#include "counter_harness.hpp"
#include "screen_text.hpp"

using namespace hn::test;
using nlohmann::json;

TEST_CASE("the check finds English words and lets codes, catalog words and units pass", "[gui][i18n]") {
  CHECK(english_words("确定") == std::vector<std::string>{});
  CHECK(english_words("OK") == std::vector<std::string>{"OK"});
  CHECK(english_words("&Cancel") == std::vector<std::string>{"Cancel"});
  CHECK(english_words("李营业员  li  (clerk)") == std::vector<std::string>{"clerk"});  // li: a login
  CHECK(english_words("第 3 行 card_no: 标识卡 已经登记") == std::vector<std::string>{"card", "no"});
  CHECK(english_words("钱箱 none") == std::vector<std::string>{"none"});
  // Codes, product words of the catalog, units and paths are what they are.
  CHECK(english_words("CARD_SERIAL_MISMATCH 标识卡与序列号不符") == std::vector<std::string>{});
  CHECK(english_words("海信 HISENSE-TLM26V68 26英寸 LCD TLM26V68-0811A00017") == std::vector<std::string>{});
  CHECK(english_words("导出 PDF (F6)  关闭 (Esc)  身份证 ID  /dev/ttyUSB0") == std::vector<std::string>{});
  // A file's name is the shop's data; the same words loose are not.
  CHECK(english_words("#1  2026-12-07 10:21  cards.csv") == std::vector<std::string>{});
  CHECK(english_words("cards csv") == std::vector<std::string>{"cards", "csv"});
}

TEST_CASE("the counter's screens in Chinese show no English word", "[gui][i18n]") {
  Counter c("li");
  // wxWidgets' own catalog (wxstd-3.2.mo) is loaded beside the application's.
  CHECK(read_text(c.trace_file()).find(R"("wxstd":true)") != std::string::npos);
  check_chinese_screen(c, "");  // sign-in: the operators with their roles

  c.login(kClerkPin);
  check_chinese_screen(c, "");  // the empty counter

  // A sale with a line and findings: an over-cap price refused on the line.
  c.buyer(kIdZhang, "张三", "3413220012");
  c.scan(kTv1);
  c.wait_for("screen", [](const json& s) { return s.contains("scan_to_shown_ms"); });
  c.scan(kTv1Serial);
  c.wait_for("screen", [](const json& s) { return s["checkout_enabled"] == true; });
  c.key("F4");
  c.key("ctrl+a");
  c.enter("2100", 20);
  c.wait_for("screen", [](const json& s) {
    for (const auto& f : s["findings"])
      if (f["code"] == "PRICE_OVER_CAP") return true;
    return false;
  });
  check_chinese_screen(c, "");

  // F1: the keys, in a message box with its OK button.
  c.key("F1");
  check_chinese_message(c, "按键");
  c.screenshot("message-box-zh");
  c.key("Return");

  // F6: the buyer's consent, a Yes/No question.
  c.key("F6");
  check_chinese_message(c, "拍证件");
  c.wait_for("document_consent_shown");
  c.screenshot("question-zh");
  c.key("Escape");
  c.wait_for("document_declined");

  // The price put right and the sale checked out: the counter after a sale, and a day with a
  // sale in the report below.
  c.key("F4");
  c.key("ctrl+a");
  c.enter("1999", 20);
  c.wait_for("screen", [](const json& s) { return s["checkout_enabled"] == true; });
  c.key("F10");  // the payment step, then Enter: paid exactly in cash
  c.wait_for("payment_shown");
  check_chinese_screen(c, "收款");
  c.key("Return");
  c.wait_for("sale_committed");
  c.wait_for("invoice_printed");
  check_chinese_screen(c, "");

  // F8 on the empty counter: the held sales list.
  c.key("F8");
  c.wait_for("hold_list");
  check_chinese_screen(c, "挂单列表");
  c.key("Escape");
  c.settled_screen();

  // F9 as a clerk: the manager's approval first, then the menu and each of its screens.
  c.key("F9");
  c.wait_for("dialog_shown", [](const json& e) { return e["screen"] == "店长批准"; });
  check_chinese_screen(c, "店长批准");
  c.type("wang", 20);
  c.key("Tab");
  c.enter(kManagerPin, 20);
  c.wait_for("manager_menu");
  check_chinese_screen(c, "店长功能");

  const std::pair<const char*, const char*> screens[] = {
      {"1", "收货登记"}, {"2", "用户"}, {"3", "退货"}, {"4", "日报"},
      {"5", "设置"},     {"6", "省平台拒绝的销售"}, {"7", "设备"},
      {"8", "日结"},     {"9", "备份与审计导出"},   {"0", "省平台连接"}, {"k", "库存"},
  };
  for (const auto& [key, title] : screens) {
    c.key(key);
    c.wait_for("dialog_shown", [title = std::string(title)](const json& e) { return e["screen"] == title; });
    check_chinese_screen(c, title);
    c.key("Escape");
    c.settled_screen();
  }
}
