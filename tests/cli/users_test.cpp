// A manager's user administration (issue 16): `user reset-pin`, `user deactivate`, `user role`,
// each journaled without a PIN; the last active manager is never deactivated or demoted; a
// clerk is refused with exit 4; a refusal writes nothing.
#include <catch2/catch.hpp>

#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {
std::int64_t journaled(const DbReader& db, const std::string& kind) {
  return db.scalar("SELECT COUNT(*) FROM journal WHERE kind = '" + kind + "'");
}
std::string users_table(const DbReader& db) {
  std::string all;
  for (const auto& row : db.rows("SELECT login, role, active, locked, hex(pin_hash) FROM users ORDER BY id"))
    for (const auto& v : row) all += v + "|";
  return all;
}
}  // namespace

TEST_CASE("a manager resets a clerk's PIN: the new PIN works, the old one does not, the clerk is unlocked",
          "[cli][users]") {
  DemoOutlet outlet;
  // Lock the clerk with five wrong PINs first.
  for (int i = 0; i < 5; ++i)
    outlet.run({"--json", "cards", "list", "--user", d::kClerk}, {{"HUINONG_PIN", d::kWrongPin}});
  REQUIRE(outlet.reader().scalar("SELECT locked FROM users WHERE login = 'li'") == 1);

  const auto r = outlet.run({"--json", "user", "reset-pin", "--user", d::kManager, "--login", d::kClerk},
                            {{"HUINONG_PIN", d::kManagerPin}, {"HUINONG_NEW_PIN", "482916"}});
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  CHECK(r.json().at("unlocked") == true);
  const DbReader db = outlet.reader();
  CHECK(db.scalar("SELECT locked FROM users WHERE login = 'li'") == 0);
  CHECK(journaled(db, "user_pin_reset") == 1);
  CHECK(db.scalar("SELECT COUNT(*) FROM journal WHERE kind = 'user_pin_reset' AND user_login = 'wang' AND "
                  "json_extract(body, '$.login') = 'li'") == 1);
  CHECK(db.scalar("SELECT COUNT(*) FROM journal WHERE body LIKE '%482916%'") == 0);  // never the PIN

  const auto with_new = outlet.run({"--json", "cards", "list", "--user", d::kClerk}, {{"HUINONG_PIN", "482916"}});
  INFO(with_new.describe());
  CHECK(with_new.exit_code == 0);
  const auto with_old = outlet.run({"--json", "cards", "list", "--user", d::kClerk}, {{"HUINONG_PIN", d::kClerkPin}});
  CHECK(with_old.exit_code == 4);
}

TEST_CASE("a deactivated user can no longer sign in, and the deactivation is journaled", "[cli][users]") {
  DemoOutlet outlet;
  const auto r = outlet.as_manager({"--json", "user", "deactivate", "--user", d::kManager, "--login", d::kClerk});
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  const DbReader db = outlet.reader();
  CHECK(db.scalar("SELECT active FROM users WHERE login = 'li'") == 0);
  CHECK(journaled(db, "user_deactivated") == 1);
  const auto sign_in = outlet.as_clerk({"--json", "cards", "list", "--user", d::kClerk});
  INFO(sign_in.describe());
  CHECK(sign_in.exit_code == 4);
  const auto list = outlet.as_manager({"--json", "user", "list", "--user", d::kManager});
  INFO(list.describe());
  bool listed_inactive = false;
  const auto listed = list.json();
  for (const auto& u : listed.at("users"))
    if (u.at("login").get<std::string>() == d::kClerk) listed_inactive = u.at("active") == false;
  CHECK(listed_inactive);
}

TEST_CASE("a manager changes a clerk's role, and a bad role is ROLE_INVALID and changes nothing", "[cli][users]") {
  DemoOutlet outlet;
  const auto r = outlet.as_manager({"--json", "user", "role", "--user", d::kManager, "--login", d::kClerk, "--role", "auditor"});
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  CHECK(r.json().at("from") == "clerk");
  const DbReader db = outlet.reader();
  CHECK(db.column("SELECT role FROM users WHERE login = 'li'") == std::vector<std::string>{"auditor"});
  CHECK(db.scalar("SELECT COUNT(*) FROM journal WHERE kind = 'user_role_changed' AND "
                  "json_extract(body, '$.from') = 'clerk' AND json_extract(body, '$.to') = 'auditor'") == 1);

  const std::string before = users_table(db);
  const auto journal_before = db.count("journal");
  const auto bad = outlet.as_manager({"--json", "user", "role", "--user", d::kManager, "--login", d::kClerk, "--role", "boss"});
  INFO(bad.describe());
  CHECK(bad.exit_code == 2);
  CHECK(error_of(bad.json()).at("code") == "ROLE_INVALID");
  const auto unknown = outlet.as_manager({"--json", "user", "role", "--user", d::kManager, "--login", "nobody", "--role", "clerk"});
  CHECK(unknown.exit_code == 2);
  CHECK(error_of(unknown.json()).at("code") == "USER_UNKNOWN");
  CHECK(users_table(db) == before);
  CHECK(db.count("journal") == journal_before);
}

TEST_CASE("the last active manager can be neither deactivated nor demoted", "[cli][users]") {
  DemoOutlet outlet;
  const DbReader db = outlet.reader();
  const std::string before = users_table(db);
  const auto journal_before = db.count("journal");

  const auto off = outlet.as_manager({"--json", "user", "deactivate", "--user", d::kManager, "--login", d::kManager});
  INFO(off.describe());
  CHECK(off.exit_code == 3);
  const auto e = error_of(off.json());
  CHECK(e.at("code") == "LAST_MANAGER");
  CHECK(has_cjk(e.at("message_zh").get<std::string>()));
  CHECK(contains(e.at("message_en").get<std::string>(), "last active manager"));
  const auto demote = outlet.as_manager({"--json", "user", "role", "--user", d::kManager, "--login", d::kManager, "--role", "clerk"});
  INFO(demote.describe());
  CHECK(demote.exit_code == 3);
  CHECK(error_of(demote.json()).at("code") == "LAST_MANAGER");
  CHECK(users_table(db) == before);
  CHECK(db.count("journal") == journal_before);

  // With a second manager, the first may step down.
  REQUIRE(outlet.as_manager({"--json", "user", "role", "--user", d::kManager, "--login", d::kClerk, "--role", "manager"})
              .exit_code == 0);
  const auto now_ok = outlet.as_manager({"--json", "user", "role", "--user", d::kManager, "--login", d::kManager, "--role", "clerk"});
  INFO(now_ok.describe());
  CHECK(now_ok.exit_code == 0);
}

TEST_CASE("a clerk may not reset PINs, deactivate users or change roles (exit 4, nothing written)", "[cli][users]") {
  DemoOutlet outlet;
  const DbReader db = outlet.reader();
  const std::string before = users_table(db);
  const auto journal_before = db.count("journal");
  const std::vector<std::vector<std::string>> commands = {
      {"--json", "user", "reset-pin", "--user", d::kClerk, "--login", d::kManager},
      {"--json", "user", "deactivate", "--user", d::kClerk, "--login", d::kManager},
      {"--json", "user", "role", "--user", d::kClerk, "--login", d::kClerk, "--role", "manager"}};
  for (const auto& args : commands) {
    const auto r = outlet.run(args, {{"HUINONG_PIN", d::kClerkPin}, {"HUINONG_NEW_PIN", "482916"}});
    INFO(r.describe());
    CHECK(r.exit_code == 4);
    CHECK(error_of(r.json()).at("code") == "ROLE_NOT_PERMITTED");
  }
  CHECK(users_table(db) == before);
  CHECK(db.count("journal") == journal_before);
}
