// The manager screens of issue 16 under Xvfb, by keyboard alone: users (add, a new PIN that
// signs in, role, deactivation after a question, the last manager kept and said so in words),
// goods receipt by scanning card then serial as the boxes arrive (and a card batch file chosen
// in the file chooser), and the stock view's counts after the boxes sell at the counter.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "counter_harness.hpp"

using namespace hn::test;
using nlohmann::json;

namespace {
// Two boxes that arrive today: a TV and a fridge, not in the demo batch.
constexpr const char* kNewTv = "34080100000000019201";
constexpr const char* kNewTvSerial = "TLM26V68-0812B00001";
constexpr const char* kNewFridge = "34080100000000019202";
constexpr const char* kNewFridgeSerial = "BCD186KB-0812B00001";

void open_manager_screen(Counter& c, const char* number) {
  c.key("F9");
  c.wait_for("manager_menu");
  c.key(number);
}

json user_row(const json& shown, const std::string& login) {
  for (const auto& u : shown["users"])
    if (u["login"] == login) return u;
  return json();
}

bool is_error(const json& m) { return m["error"] == true; }

void scan_line(Counter& c, const char* card, const char* serial) {
  c.scan(card);
  c.wait_for("screen", [&](const json& s) { return s.contains("scan_to_shown_ms"); });
  c.scan(serial);
  c.wait_for("screen", [&](const json& s) { return !s["lines"].empty() && s["lines"].back()["serial"] == serial; });
}

json model_count(const json& stock, const std::string& model) {
  for (const auto& m : stock["models"])
    if (m["model"] == model) return m;
  return json();
}
}  // namespace

TEST_CASE("a manager adds a user and sets a new PIN on the users screen, and the user signs in with it",
          "[gui][users]") {
  Counter c("wang");
  c.login(kManagerPin);
  open_manager_screen(c, "2");
  const json shown = c.wait_for("users_shown");
  // Roles in the shop's words, as the sign-in screen says them.
  CHECK(user_row(shown, "li")["role_shown"] == "营业员");
  CHECK(user_row(shown, "wang")["role_shown"] == "店长");

  c.key("F2");
  c.wait_for("user_form", [](const json& f) { return f["kind"] == "add"; });
  c.type("zhao", 60);
  c.key("Tab");
  c.type("Zhao Liu", 60);
  c.key("Tab");  // the role: 营业员, as it comes
  c.key("Tab");
  c.type("2468", 60);
  c.key("Tab");
  c.enter("2468", 60);
  CHECK(c.wait_for("user_added")["role"] == "clerk");
  CHECK(c.wait_for("users_shown")["selected"] == "zhao");

  c.key("F3");
  c.wait_for("user_form", [](const json& f) { return f["kind"] == "reset_pin"; });
  c.type("1357", 60);
  c.key("Tab");
  c.enter("1357", 60);
  CHECK(c.wait_for("user_pin_reset")["login"] == "zhao");
  c.wait_for("users_shown");
  c.screenshot("manager-users");
  CHECK(c.count("SELECT COUNT(*) FROM journal WHERE kind = 'user_added' AND json_extract(body, '$.login') = 'zhao'") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM journal WHERE kind = 'user_pin_reset' AND json_extract(body, '$.login') = 'zhao'") == 1);

  // Sign in as the new user with the new PIN: the lock screen lists the user without a restart.
  c.key("Escape");
  c.key("Escape");
  c.key("F11");
  c.wait_for("locked");
  CHECK(c.wait_for("login_ready")["users"] == 3);
  c.key("shift+Tab");  // from the PIN to the list of operators
  c.key("End");        // li, wang, zhao
  c.enter("1357", 60);
  const json in = c.wait_for("logged_in");
  CHECK(in["user"] == "zhao");
  CHECK(in["role"] == "clerk");
}

TEST_CASE("the last manager is kept and the refusal is said in words, a role changes, a clerk is deactivated after a question",
          "[gui][users]") {
  Counter c("wang");
  c.login(kManagerPin);
  open_manager_screen(c, "2");
  CHECK(c.wait_for("users_shown")["selected"] == "wang");

  // Deactivating oneself, the only manager: Enter at the question keeps the user...
  c.key("F8");
  CHECK(c.wait_for("question")["id"] == "deactivate_user");
  c.key("Return");
  c.wait_for("question_declined");
  CHECK(c.count("SELECT active FROM users WHERE login = 'wang'") == 1);
  // ...and saying yes is refused, in words.
  c.key("F8");
  c.wait_for("question");
  c.key("y");
  CHECK(c.wait_for("user_refused")["code"] == "LAST_MANAGER");
  json said = c.wait_for("dialog_message", is_error);
  CHECK(said["text"].get<std::string>().find("最后一名在职店长") != std::string::npos);
  CHECK(said["text"].get<std::string>().find("LAST_MANAGER") == std::string::npos);
  CHECK(c.count("SELECT active FROM users WHERE login = 'wang'") == 1);

  // Nor can the last manager become a clerk.
  c.key("F4");
  c.wait_for("user_form", [](const json& f) { return f["kind"] == "role"; });
  c.key("Up");  // 店长 -> 营业员
  c.key("Return");
  CHECK(c.wait_for("user_refused")["code"] == "LAST_MANAGER");
  said = c.wait_for("dialog_message", is_error);
  CHECK(said["text"].get<std::string>().find("最后一名在职店长") != std::string::npos);
  c.key("Escape");
  CHECK(c.count("SELECT COUNT(*) FROM users WHERE login = 'wang' AND role = 'manager'") == 1);

  // The clerk li becomes a manager; then li is deactivated after the question.
  c.key("Up");  // li, above wang
  c.key("F4");
  c.wait_for("user_form", [](const json& f) { return f["kind"] == "role"; });
  c.key("Down");  // 营业员 -> 店长
  c.key("Return");
  const json changed = c.wait_for("user_role_changed");
  CHECK(changed["login"] == "li");
  CHECK(changed["from"] == "clerk");
  CHECK(changed["to"] == "manager");
  CHECK(user_row(c.wait_for("users_shown"), "li")["role_shown"] == "店长");
  c.key("F8");
  CHECK(c.wait_for("question")["login"] == "li");
  c.screenshot("manager-users-question");
  c.key("y");
  CHECK(c.wait_for("user_deactivated")["login"] == "li");
  CHECK(user_row(c.wait_for("users_shown"), "li")["active"] == false);
  CHECK(c.count("SELECT active FROM users WHERE login = 'li'") == 0);
  CHECK(c.count("SELECT COUNT(*) FROM journal WHERE kind = 'user_role_changed'") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM journal WHERE kind = 'user_deactivated'") == 1);
}

TEST_CASE("boxes received by scanning card then serial sell at the counter and the stock view counts them",
          "[gui][goods]") {
  Counter c("wang");
  const std::int64_t tv_in_stock =
      c.count("SELECT COUNT(*) FROM label_cards WHERE model_code = 'HISENSE-TLM26V68' AND state = 'in_stock'");
  c.login(kManagerPin);
  open_manager_screen(c, "1");
  c.wait_for("goods_receipt_shown");
  c.enter("tlm26", 60);  // part of the model's code
  CHECK(c.wait_for("goods_model")["model"] == "HISENSE-TLM26V68");
  c.scan(kNewTv);
  CHECK(c.wait_for("goods_card_checked")["ok"] == true);
  c.scan(kNewTvSerial);
  const json first = c.wait_for("card_received");
  CHECK(first["card"] == kNewTv);
  CHECK(first["serial"] == kNewTvSerial);
  // The next boxes are fridges: back to the model, then the pair.
  c.key("shift+Tab");
  c.enter("bcd-186", 60);
  CHECK(c.wait_for("goods_model")["model"] == "HAIER-BCD-186KB");
  c.scan(kNewFridge);
  CHECK(c.wait_for("goods_card_checked")["ok"] == true);
  c.scan(kNewFridgeSerial);
  const json second = c.wait_for("card_received");
  CHECK(second["received"] == 2);
  CHECK(second["batch"] == first["batch"]);  // one goods receipt for the screen's boxes
  // A card of the demo batch, received before, is refused at once, by its number.
  c.scan(kTv1);
  CHECK(c.wait_for("goods_card_checked")["code"] == "CARD_ALREADY_RECEIVED");
  CHECK(c.wait_for("dialog_message", is_error)["text"].get<std::string>().find(kTv1) != std::string::npos);
  c.screenshot("goods-receipt");
  CHECK(c.count("SELECT card_count FROM goods_receipts WHERE source = 'scan'") == 2);
  CHECK(c.count("SELECT COUNT(*) FROM journal WHERE kind = 'goods_receipt' AND json_extract(body, '$.source') = 'scan'") == 2);

  // Both sell at the counter, on one invoice (a TV and a fridge: one of each category).
  c.key("Escape");
  c.key("Escape");
  c.key("F2");  // back at the counter: the buyer's ID number
  c.buyer(kIdZhang, "Zhang San", "3413220012");
  scan_line(c, kNewTv, kNewTvSerial);
  scan_line(c, kNewFridge, kNewFridgeSerial);
  c.checkout_cash();
  c.wait_for("sale_committed");
  CHECK(c.count("SELECT COUNT(*) FROM label_cards WHERE state = 'sold' AND card_no IN ('" + std::string(kNewTv) +
                "', '" + kNewFridge + "')") == 2);

  open_manager_screen(c, "k");
  const json stock = c.wait_for("stock_shown");
  const json tv = model_count(stock, "HISENSE-TLM26V68");
  CHECK(tv["in_stock"] == tv_in_stock);  // one more received, that one sold
  CHECK(tv["sold"] == 1);
  CHECK(model_count(stock, "HAIER-BCD-186KB")["sold"] == 1);
  CHECK(stock["sold"] == 2);
  CHECK(stock["in_stock"] == c.count("SELECT COUNT(*) FROM label_cards WHERE state = 'in_stock'"));
  c.screenshot("stock-view");
  c.scan(kNewTv);  // a card scanned into the filter: that card alone
  const json one = c.wait_for("stock_shown", [](const json& s) { return s["filter"] == kNewTv; });
  CHECK(one["cards"] == 1);
  CHECK(one["sold"] == 1);
  c.enter("haier", 60);  // part of a model code: every Haier model
  const json haier = c.wait_for("stock_shown", [](const json& s) { return s["filter"] == "haier"; });
  for (const auto& m : haier["models"]) CHECK(m["model"].get<std::string>().find("HAIER") == 0);
  CHECK(haier["models"].size() == 2);  // HAIER-BCD-186KB and HAIER-XQB50-7288 of the demo batch
}

TEST_CASE("a card batch file is chosen in the file chooser of the goods receipt", "[gui][goods]") {
  Counter c("wang");
  // In the folder the chooser opens on (the application's working directory, this test's):
  // typing a name there is not raced by the location field's completion of a path.
  const std::string name = "arrived-" + std::to_string(::getpid()) + ".csv";
  const std::string csv = std::filesystem::absolute(name).string();
  std::ofstream(csv) << "card_no,serial_no,model_code\n" << kNewTv << "," << kNewTvSerial << ",HISENSE-TLM26V68\n";
  struct Remove {
    std::string path;
    ~Remove() { std::filesystem::remove(path); }
  } remove{csv};
  c.login(kManagerPin);
  open_manager_screen(c, "1");
  c.wait_for("goods_receipt_shown");
  c.key("F3");
  c.wait_for("goods_file_chooser");
  c.wait_window("CSV");  // the chooser's title names the file's columns
  c.key("ctrl+l");       // GTK's chooser: the location field, in the folder shown
  c.type(name, 2);
  c.key("Return");
  CHECK(c.wait_for("goods_file_received")["cards"] == 1);
  CHECK(c.count("SELECT COUNT(*) FROM goods_receipts WHERE source = '" + csv + "'") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM label_cards WHERE card_no = '" + std::string(kNewTv) + "'") == 1);
}
