// Who may do what: PINs from the environment only, roles, the lock after five wrong PINs, and
// PINs stored as salted slow hashes (exit 4 for everything refused here).
#include <catch2/catch.hpp>

#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {
std::vector<std::string> report_as(const char* user) {
  return {"--json", "report", "daily", "--user", user, "--format", "json"};
}
}  // namespace

TEST_CASE("a wrong PIN is refused with exit 4 and sells nothing", "[cli][auth]") {
  DemoOutlet outlet;
  auto sale = sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00");
  sale.pin = d::kWrongPin;
  const auto r = outlet.sell(sale);
  INFO(r.describe());
  CHECK(r.exit_code == 4);
  const auto& e = error_of(r.json());
  CHECK(has_cjk(e.at("message_zh").get<std::string>()));
  CHECK_FALSE(e.at("message_en").get<std::string>().empty());
  CHECK(outlet.reader().count("sales") == 0);

  const auto unknown_user = outlet.run(report_as("nobody"), {{"HUINONG_PIN", d::kClerkPin}});
  INFO(unknown_user.describe());
  CHECK(unknown_user.exit_code == 4);
}

TEST_CASE("without HUINONG_PIN and without a terminal to ask on, a command is refused with exit 4", "[cli][auth]") {
  DemoOutlet outlet;
  // stdin is /dev/null: not a tty, so there is nobody to prompt.
  auto sale = outlet.run({"sale", "--user", d::kClerk, "--buyer-name", "张三", "--buyer-id", d::kIdZhang, "--household",
                          d::kHouseholdA, "--item", std::string(d::kTv1) + "=1999.00"});
  INFO(sale.describe());
  CHECK(sale.exit_code == 4);
  CHECK(contains(sale.err, "HUINONG_PIN"));
  CHECK(has_cjk(sale.err));
  const auto report = outlet.run(report_as(d::kManager));
  INFO(report.describe());
  CHECK(report.exit_code == 4);
  CHECK(outlet.reader().count("sales") == 0);
}

TEST_CASE("a clerk may not import the catalog, receive cards or add users", "[cli][auth]") {
  DemoOutlet outlet;
  const DbReader db = outlet.reader();
  const auto models = db.count("catalog_models"), cards = db.count("label_cards"), users = db.count("users");
  const std::string catalog = outlet.file("catalog.csv");
  write_file(catalog, "model_code,category,brand,name,spec,max_price,valid_from,valid_to\n"
                      "PANDA-LCD26-G,tv,熊猫,液晶彩电,26英寸 LCD,1899.00,2008-12-01,\n");
  const std::string receipt = outlet.file("cards.csv");
  write_file(receipt, "card_no,serial_no,model_code\n34080100000000019101,TLM26V68-0812A00101,HISENSE-TLM26V68\n");

  const auto import = outlet.as_clerk({"catalog", "import", "--user", d::kClerk, catalog});
  INFO(import.describe());
  CHECK(import.exit_code == 4);
  const auto receive = outlet.as_clerk({"cards", "receive", "--user", d::kClerk, receipt});
  INFO(receive.describe());
  CHECK(receive.exit_code == 4);
  const auto add = outlet.run({"user", "add", "--user", d::kClerk, "--login", "zhou", "--name", "周营业员", "--role", "manager"},
                              {{"HUINONG_PIN", d::kClerkPin}, {"HUINONG_NEW_PIN", "246810"}});
  INFO(add.describe());
  CHECK(add.exit_code == 4);

  CHECK(db.count("catalog_models") == models);
  CHECK(db.count("label_cards") == cards);
  CHECK(db.count("users") == users);
}

TEST_CASE("five wrong PINs lock the account until a manager unlocks it", "[cli][auth]") {
  DemoOutlet outlet;
  for (int i = 1; i <= 5; ++i) {
    INFO("wrong PIN #" << i);
    const auto r = outlet.run(report_as(d::kClerk), {{"HUINONG_PIN", d::kWrongPin}});
    INFO(r.describe());
    CHECK(r.exit_code == 4);
  }
  // The sixth attempt, with the RIGHT PIN, is still refused.
  const auto locked = outlet.as_clerk(report_as(d::kClerk));
  INFO(locked.describe());
  CHECK(locked.exit_code == 4);
  CHECK(error_of(locked.json()).at("code") == "USER_LOCKED");
  CHECK(outlet.reader().scalar("SELECT locked FROM users WHERE login = 'li'") == 1);

  // Only a manager unlocks; then the right PIN works again.
  const auto unlock = outlet.as_manager({"user", "unlock", "--user", d::kManager, "--login", d::kClerk});
  INFO(unlock.describe());
  REQUIRE(unlock.exit_code == 0);
  const auto again = outlet.as_clerk(report_as(d::kClerk));
  INFO(again.describe());
  CHECK(again.exit_code == 0);
}

TEST_CASE("PINs are not stored in clear", "[cli][auth][privacy]") {
  DemoOutlet outlet;
  const auto users = outlet.reader().rows("SELECT * FROM users");
  REQUIRE(users.size() == 2);
  for (const auto& row : users)
    for (const auto& value : row) {
      INFO("users column value: " << value);
      CHECK_FALSE(contains(value, d::kManagerPin));
      CHECK_FALSE(contains(value, d::kClerkPin));
    }
  const auto bytes = read_file(outlet.db());
  REQUIRE(bytes);
  CHECK_FALSE(contains(*bytes, d::kManagerPin));
  CHECK_FALSE(contains(*bytes, d::kClerkPin));
}

TEST_CASE("an auditor may read the daily report but may not sell", "[cli][auth]") {
  DemoOutlet outlet;
  const auto add = outlet.run({"user", "add", "--user", d::kManager, "--login", "audit", "--name", "审计员", "--role", "auditor"},
                              {{"HUINONG_PIN", d::kManagerPin}, {"HUINONG_NEW_PIN", "975310"}});
  INFO(add.describe());
  REQUIRE(add.exit_code == 0);
  auto sale = sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00");
  sale.user = "audit";
  sale.pin = "975310";
  const auto sold = outlet.sell(sale);
  INFO(sold.describe());
  CHECK(sold.exit_code == 4);
  CHECK(outlet.reader().count("sales") == 0);
  const auto report = outlet.run(report_as("audit"), {{"HUINONG_PIN", "975310"}});
  INFO(report.describe());
  CHECK(report.exit_code == 0);
}

TEST_CASE("a PIN given on the command line is refused as bad usage", "[cli][auth][usage]") {
  DemoOutlet outlet;
  // PINs come from the environment or a prompt, never argv (other users can read argv).
  const auto r = outlet.run({"--json", "report", "daily", "--user", d::kClerk, "--pin", d::kClerkPin});
  INFO(r.describe());
  CHECK(r.exit_code == 2);
  CHECK(contains(error_of(r.json()).at("message_en").get<std::string>(), "--pin"));
}
