// A manager's user administration (pos/app/users.cpp) and the recovery code (recovery.cpp):
// each change journaled without a PIN; the last active manager stays one.
#include <catch2/catch.hpp>

#include "db_reader.hpp"
#include "test_terminal.hpp"

using namespace hn;
using namespace hn::app;

namespace {
std::int64_t entries(const test::DbReader& db, const std::string& kind) {
  return db.scalar("SELECT COUNT(*) FROM journal WHERE kind = '" + kind + "'");
}
}  // namespace

TEST_CASE("a manager's new PIN for a locked clerk unlocks it and the old PIN stops working", "[app][users]") {
  test::DemoTerminal o;
  for (int i = 0; i < 5; ++i) o.t->authenticate("li", "0000");
  REQUIRE(o.t->authenticate("li", "5678").problem().code == "USER_LOCKED");
  CHECK(o.t->reset_pin(o.clerk, "li", "4321").problem().kind == ProblemKind::NotPermitted);
  CHECK(o.t->reset_pin(o.manager, "li", "12").problem().code == "PIN_INVALID");
  CHECK(o.t->reset_pin(o.manager, "zhao", "4321").problem().code == "USER_UNKNOWN");
  REQUIRE(o.t->reset_pin(o.manager, "li", "4321").ok());
  CHECK(o.t->authenticate("li", "4321").ok());
  CHECK(o.t->authenticate("li", "5678").problem().code == "PIN_WRONG");
  const test::DbReader db(o.db());
  CHECK(entries(db, "user_pin_reset") == 1);
  CHECK(db.scalar("SELECT COUNT(*) FROM journal WHERE body LIKE '%4321%'") == 0);
}

TEST_CASE("a deactivated user cannot sign in and cannot be changed any more", "[app][users]") {
  test::DemoTerminal o;
  REQUIRE(o.t->deactivate_user(o.manager, "li").ok());
  CHECK(o.t->authenticate("li", "5678").problem().code == "PIN_WRONG");  // says nothing of the account
  CHECK(o.t->deactivate_user(o.manager, "li").problem().code == "USER_INACTIVE");
  CHECK(o.t->reset_pin(o.manager, "li", "4321").problem().code == "USER_INACTIVE");
  CHECK(o.t->change_role(o.manager, "li", "manager").problem().code == "USER_INACTIVE");
  const test::DbReader db(o.db());
  CHECK(db.scalar("SELECT COUNT(*) FROM journal WHERE kind = 'user_deactivated' AND "
                  "json_extract(body, '$.login') = 'li' AND json_extract(body, '$.role') = 'clerk'") == 1);
}

TEST_CASE("a role changes once and is journaled with what it was, an unchanged role writes nothing",
          "[app][users]") {
  test::DemoTerminal o;
  const test::DbReader db(o.db());
  CHECK(o.t->change_role(o.manager, "li", "boss").problem().code == "ROLE_INVALID");
  const auto same = o.t->change_role(o.manager, "li", "clerk");
  REQUIRE(same.ok());
  CHECK(same.value() == "clerk");
  CHECK(entries(db, "user_role_changed") == 0);
  const auto changed = o.t->change_role(o.manager, "li", "auditor");
  REQUIRE(changed.ok());
  CHECK(changed.value() == "clerk");
  CHECK(db.scalar("SELECT COUNT(*) FROM journal WHERE kind = 'user_role_changed' AND "
                  "json_extract(body, '$.from') = 'clerk' AND json_extract(body, '$.to') = 'auditor'") == 1);
  // An auditor does not sell.
  const auto li = o.t->authenticate("li", "5678");
  REQUIRE(li.ok());
  CHECK(o.t->checkout(li.value(), test::tv_cart("34080100000000010001")).problem().kind == ProblemKind::NotPermitted);
}

TEST_CASE("the last active manager is neither deactivated nor demoted", "[app][users]") {
  test::DemoTerminal o;
  CHECK(o.t->deactivate_user(o.manager, "wang").problem().code == "LAST_MANAGER");
  CHECK(o.t->change_role(o.manager, "wang", "clerk").problem().code == "LAST_MANAGER");
  REQUIRE(o.t->add_user(o.manager, "zhao", "赵", Role::Manager, "2468").ok());
  CHECK(o.t->change_role(o.manager, "wang", "clerk").value() == "manager");
  const auto zhao = o.t->authenticate("zhao", "2468");
  REQUIRE(zhao.ok());
  CHECK(o.t->deactivate_user(zhao.value(), "zhao").problem().code == "LAST_MANAGER");
}

TEST_CASE("the recovery code sets a locked-out manager's PIN once and is replaced by a new one", "[app][users]") {
  test::DemoTerminal o;
  REQUIRE_FALSE(o.recovery_code.empty());
  for (int i = 0; i < 5; ++i) o.t->authenticate("wang", "0000");
  REQUIRE(o.t->authenticate("wang", "1234").problem().code == "USER_LOCKED");
  CHECK(o.t->recover_manager("wang", "0000-0000-0000-0000", "2468").problem().code == "RECOVERY_CODE_WRONG");
  CHECK(o.t->recover_manager("li", o.recovery_code, "2468").problem().code == "NOT_A_MANAGER");
  const auto next = o.t->recover_manager("wang", o.recovery_code, "2468");
  REQUIRE(next.ok());
  CHECK(next.value() != o.recovery_code);
  CHECK(o.t->authenticate("wang", "2468").ok());
  CHECK(o.t->recover_manager("wang", o.recovery_code, "1357").problem().code == "RECOVERY_CODE_WRONG");
  const test::DbReader db(o.db());
  CHECK(entries(db, "recovery_failed") == 3);
  CHECK(entries(db, "user_recovered") == 1);
}
