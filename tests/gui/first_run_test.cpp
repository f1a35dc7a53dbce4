// The first start on a shop's PC: huinong-pos on an empty data directory opens the first-run
// wizard; the technician creates the outlet and its first manager with the keyboard alone.
#include <catch2/catch.hpp>

#include <filesystem>

#include "counter_harness.hpp"
#include "db_reader.hpp"

using namespace hn::test;
using nlohmann::json;

namespace {
bool code_is(const json& e, const std::string& code) { return e.value("code", "") == code; }
bool page_is(const json& e, int page) { return e.value("page", 0) == page; }
}  // namespace

TEST_CASE("on an empty data directory the wizard creates the outlet and its first manager, who signs in",
          "[gui][first-run]") {
  Counter c("", {}, nullptr);
  REQUIRE_FALSE(std::filesystem::exists(c.db()));

  // Step 1: the outlet. A county code one digit short is sent back to its field.
  c.enter("AH-XX-0009", 30);
  c.enter("萧县惠农家电城", 30);
  c.enter("34132", 30);
  CHECK(c.wait_for("first_run_problem", [](const json& e) { return code_is(e, "COUNTY_INVALID"); })
            .value("message", "")
            .find("341122") != std::string::npos);  // the app's message, in Chinese by default
  c.wait_for("first_run_page", [](const json& e) { return page_is(e, 1); });
  c.type("341322", 30);  // the wrong code is selected: typing replaces it
  c.screenshot("first-run-outlet");
  c.key("Return");
  c.wait_for("first_run_page", [](const json& e) { return page_is(e, 2); });

  // Step 2: the first manager. PINs that differ are asked for again.
  c.enter("wang", 30);
  c.enter("王店长", 30);
  c.enter("2468", 30);
  c.enter("2460", 30);
  c.wait_for("first_run_problem", [](const json& e) { return code_is(e, "PIN_MISMATCH"); });
  CHECK_FALSE(std::filesystem::exists(c.db()));  // nothing is written before the last step passes
  c.enter("2468", 30);
  c.type("2468", 30);
  c.screenshot("first-run-manager");
  c.key("Return");
  // The manager's recovery code, shown once on the last page; Enter finishes.
  CHECK(c.wait_for("first_run_recovery_shown")["digits"] == 16);
  c.screenshot("first-run-recovery");
  CHECK(c.count("SELECT COUNT(*) FROM settings WHERE key = 'recovery.code'") == 1);
  c.key("Return");
  const json done = c.wait_for("first_run_done");
  CHECK(done["outlet_code"] == "AH-XX-0009");
  CHECK(done["manager"] == "wang");

  // The counter opens on the new outlet with its manager chosen: the PIN signs in.
  CHECK(c.wait_for("login_ready")["users"] == 1);
  c.login("2468");
  CHECK(c.count("SELECT COUNT(*) FROM settings WHERE key = 'outlet.code' AND value = 'AH-XX-0009'") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM settings WHERE key = 'outlet.county' AND value = '341322'") == 1);
  // The typed 汉字 as stored (a failure shows what was stored instead).
  const DbReader stored(c.db());
  CHECK(stored.column("SELECT value FROM settings WHERE key = 'outlet.name'") ==
        std::vector<std::string>{"萧县惠农家电城"});
  CHECK(stored.rows("SELECT name, role FROM users WHERE login = 'wang'") ==
        std::vector<std::vector<std::string>>{{"王店长", "manager"}});
  CHECK(c.count("SELECT COUNT(*) FROM journal WHERE kind = 'init'") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM journal WHERE kind = 'login' AND user_login = 'wang'") == 1);

  // The same outlet as `huinong init` makes: the CLI works on it with the manager's PIN.
  c.cli({"user", "add", "--user", "wang", "--login", "li", "--name", "李营业员", "--role", "clerk"},
        {{"HUINONG_PIN", "2468"}, {"HUINONG_NEW_PIN", "5678"}});
  CHECK(c.count("SELECT COUNT(*) FROM users") == 2);
}

TEST_CASE("cancelling the first-run wizard creates nothing and ends the application", "[gui][first-run]") {
  Counter c("", {}, nullptr);
  c.enter("AH-XX-0009", 30);
  c.key("Escape");
  c.wait_for("first_run_cancelled");
  CHECK(c.wait_exit() == 0);
  CHECK_FALSE(std::filesystem::exists(c.db()));
}
