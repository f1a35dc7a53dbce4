// POLICY R5: at most N units per category per household, whoever of its members buys; N is
// policy data (the phase) or an outlet setting (`init --household-limit`), never code.
#include <catch2/catch.hpp>

#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {
std::string at(const char* card, const char* price) { return std::string(card) + "=" + price; }

void require_accepted(const RunResult& r) {
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.json().at("status") == "accepted");
}

void check_household_limit(const RunResult& r) {
  INFO(r.describe());
  CHECK(r.exit_code == 3);
  const auto j = r.json();
  CHECK(j.at("status") == "refused");
  CHECK(has_finding(j, "HOUSEHOLD_LIMIT", "refuse"));
}
}  // namespace

TEST_CASE("a second TV for the same household is refused whoever of its members buys it", "[cli][household]") {
  DemoOutlet outlet;  // Dec 2008 phase: one unit per category per household
  require_accepted(outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(at(d::kTv1, "1999.00"))));

  // POLICY R5: the same buyer again ...
  const auto same_buyer = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(at(d::kTv2, "1999.00")));
  check_household_limit(same_buyer);
  const auto f = find_finding(same_buyer.json(), "HOUSEHOLD_LIMIT");
  REQUIRE(f.has_value());
  CHECK(f->at("item") == d::kTv2);
  CHECK(has_cjk(f->at("message_zh").get<std::string>()));
  CHECK_FALSE(f->at("message_en").get<std::string>().empty());

  // ... or another member of the household (another ID number, same 户号), another TV model.
  check_household_limit(outlet.sell(sale_to("李四", d::kIdLi, d::kHouseholdA).item(at(d::kTclTv1, "1699.00"))));

  // Another category for the same household is its own quota.
  require_accepted(outlet.sell(sale_to("李四", d::kIdLi, d::kHouseholdA).item(at(d::kFridge1, "1799.00"))));
  CHECK(outlet.reader().count("sales") == 2);
}

TEST_CASE("two TVs on one invoice for a new household exceed a limit of one", "[cli][household]") {
  DemoOutlet outlet;
  // POLICY R5 counts the units in the cart too.
  check_household_limit(
      outlet.sell(sale_to("赵六", d::kIdZhao, d::kHouseholdD).item(at(d::kTv1, "1999.00")).item(at(d::kTv2, "1999.00"))));
  CHECK(outlet.reader().count("sales") == 0);
}

TEST_CASE("with init --household-limit 2 a household may buy two TVs but not a third", "[cli][household]") {
  OutletOptions options;
  options.household_limit = 2;  // POLICY R5: N is settable (§15 says 2)
  DemoOutlet outlet(options);
  require_accepted(outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(at(d::kTv1, "1999.00"))));
  require_accepted(outlet.sell(sale_to("李四", d::kIdLi, d::kHouseholdA).item(at(d::kTv2, "1999.00"))));
  check_household_limit(outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(at(d::kTv3, "1999.00"))));
}

TEST_CASE("after a manager switches to the 2009-04 phase a household may buy two TVs", "[cli][household][policy]") {
  DemoOutlet outlet;
  require_accepted(outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(at(d::kTv1, "1999.00"))));
  check_household_limit(outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(at(d::kTv2, "1999.00"))));

  // A clerk may not change the policy in force.
  const auto by_clerk = outlet.as_clerk({"policy", "use", "--user", d::kClerk, "2009-04"});
  INFO(by_clerk.describe());
  CHECK(by_clerk.exit_code == 4);

  // The phase is configuration a manager switches, not a date in the code.
  const auto use = outlet.as_manager({"policy", "use", "--user", d::kManager, "2009-04"});
  INFO(use.describe());
  REQUIRE(use.exit_code == 0);

  require_accepted(outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(at(d::kTv2, "1999.00"))));
  check_household_limit(outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(at(d::kTv3, "1999.00"))));
}
