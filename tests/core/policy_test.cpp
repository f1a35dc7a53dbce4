#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "core/policy.hpp"
#include "test_files.hpp"

using hn::Category;
using hn::CategoryPolicy;
using hn::Date;
using hn::ImportMessage;
using hn::MismatchAction;
using hn::PolicyPhase;
using hn::SubsidyRule;

namespace {
PolicyPhase load_policy(const std::string& file) {
  PolicyPhase phase;
  ImportMessage error;
  const bool ok = hn::parse_policy_file(hn_test::read_asset("policy/" + file), phase, error);
  INFO(file << ": " << error.text());
  REQUIRE(ok);
  return phase;
}

const CategoryPolicy& category(const PolicyPhase& phase, Category c) {
  const auto it = phase.categories.find(c);
  REQUIRE(it != phase.categories.end());
  return it->second;
}

// A small valid file: header lines 1-3, [tv] on line 4 with its keys on lines 5-8.
const std::string kHead = "id = test\neffective_from = 2008-12-01\ncounty_mismatch = warn\n";
const std::string kTv =
    "[tv]\nactive = yes\ncap = 2000.00\nhousehold_limit = 1\nsubsidy_rate = 13\n";

ImportMessage policy_fails(const std::string& text) {
  PolicyPhase phase;
  ImportMessage error;
  REQUIRE_FALSE(hn::parse_policy_file(text, phase, error));
  return error;
}
}  // namespace

TEST_CASE("the December 2008 policy file carries the national roll-out figures", "[policy]") {
  const auto p = load_policy("2008-12.ini");
  CHECK(p.id == "2008-12");
  CHECK(p.name_zh == "2008年12月全国推广");
  CHECK(p.name_en == "December 2008 national roll-out");
  CHECK(p.effective_from == Date{2008, 12, 1});
  CHECK(p.central_share_percent == 80);
  CHECK(p.county_mismatch == MismatchAction::Warn);
  CHECK(p.categories.size() == 9);

  const auto& tv = category(p, Category::Tv);
  CHECK(tv.active);
  CHECK(tv.cap == 200000);
  CHECK(tv.household_limit == 1);
  CHECK(tv.subsidy.rate_basis_points == 1300);
  CHECK_FALSE(tv.subsidy.threshold);
  CHECK(category(p, Category::Fridge).cap == 250000);
  CHECK(category(p, Category::Phone).cap == 100000);
  CHECK(category(p, Category::Washer).cap == 200000);
  for (Category c : {Category::Tv, Category::Fridge, Category::Phone, Category::Washer}) {
    CHECK(p.active_category(c) != nullptr);
    CHECK(category(p, c).household_limit == 1);
  }
  // Later-phase categories are present but not enabled (POLICY R2).
  CHECK_FALSE(category(p, Category::Computer).active);
  CHECK(p.active_category(Category::Computer) == nullptr);
  CHECK(p.active_category(Category::Microwave) == nullptr);
  CHECK(p.active_category(Category::WaterHeater) == nullptr);
  CHECK(p.active_category(Category::AirConditioner) == nullptr);
  CHECK(p.active_category(Category::InductionCooker) == nullptr);
}

TEST_CASE("the April 2009 policy file raises the TV cap and allows two per household", "[policy]") {
  const auto p = load_policy("2009-04.ini");
  CHECK(p.id == "2009-04");
  CHECK(p.effective_from == Date{2009, 4, 1});
  CHECK(p.categories.size() == 9);
  const auto& tv = category(p, Category::Tv);
  CHECK(tv.active);
  CHECK(tv.cap == 350000);
  CHECK(tv.household_limit == 2);
  const auto& microwave = category(p, Category::Microwave);
  CHECK(microwave.active);
  CHECK(microwave.cap == 100000);
  CHECK(microwave.household_limit == 2);
  CHECK(category(p, Category::Computer).cap == 350000);
  CHECK(category(p, Category::InductionCooker).cap == 60000);
  CHECK(category(p, Category::Fridge).cap == 250000);
  for (Category c : hn::kAllCategories) {
    INFO(hn::category_code(c));
    CHECK(p.active_category(c) != nullptr);
    CHECK(category(p, c).household_limit == 2);
    CHECK(category(p, c).subsidy.rate_basis_points == 1300);
    CHECK_FALSE(category(p, c).subsidy.threshold);
  }
}

TEST_CASE("the 2010 policy file has raised caps and tiered subsidies", "[policy]") {
  const auto p = load_policy("2010-06.ini");
  CHECK(p.id == "2010-06");
  CHECK(p.effective_from == Date{2010, 6, 1});
  const auto& tv = category(p, Category::Tv);
  CHECK(tv.cap == 700000);
  CHECK(tv.household_limit == 2);
  CHECK(tv.subsidy.rate_basis_points == 1300);
  REQUIRE(tv.subsidy.threshold);
  CHECK(*tv.subsidy.threshold == 350000);
  CHECK(tv.subsidy.flat_above == 45500);

  const auto& fridge = category(p, Category::Fridge);
  CHECK(fridge.cap == 400000);
  REQUIRE(fridge.subsidy.threshold);
  CHECK(*fridge.subsidy.threshold == 250000);
  CHECK(fridge.subsidy.flat_above == 32500);

  const auto& phone = category(p, Category::Phone);
  CHECK(phone.cap == 200000);
  REQUIRE(phone.subsidy.threshold);
  CHECK(*phone.subsidy.threshold == 100000);
  CHECK(phone.subsidy.flat_above == 13000);

  const auto& washer = category(p, Category::Washer);
  CHECK(washer.cap == 350000);
  REQUIRE(washer.subsidy.threshold);
  CHECK(*washer.subsidy.threshold == 200000);
  CHECK(washer.subsidy.flat_above == 26000);

  CHECK(category(p, Category::Computer).cap == 350000);
  CHECK_FALSE(category(p, Category::Computer).subsidy.threshold);
}

TEST_CASE("the subsidy is 13% of the price rounded half up to the fen", "[policy][money]") {
  const SubsidyRule rule;                    // 13.00%, no threshold
  CHECK(rule.subsidy_for(199900) == 25987);  // 1999.00 -> 259.87
  CHECK(rule.subsidy_for(50) == 7);          // 6.5 fen -> 7
  CHECK(rule.subsidy_for(150) == 20);        // 19.5 fen -> 20
  CHECK(rule.subsidy_for(200000) == 26000);  // 2000.00 -> 260.00
  CHECK(rule.subsidy_for(0) == 0);
  CHECK(rule.subsidy_for(-100) == 0);
}

TEST_CASE("the 2010 TV subsidy is 13% up to 3500 and a flat 455 above", "[policy]") {
  const SubsidyRule tv{1300, 350000, 45500};
  CHECK(tv.subsidy_for(350000) == 45500);  // 3500.00 * 13% = 455.00, at the threshold
  CHECK(tv.subsidy_for(350001) == 45500);  // 3500.01: flat
  CHECK(tv.subsidy_for(300000) == 39000);  // 3000.00 * 13% = 390.00
  CHECK(tv.subsidy_for(700000) == 45500);  // 7000.00: flat
  CHECK(tv.subsidy_for(349999) == 45500);  // 3499.99 * 13% = 454.9987 -> 455.00
  CHECK(tv.subsidy_for(349900) == 45487);  // 3499.00 * 13% = 454.87
}

TEST_CASE("at the threshold itself the rate applies, above it the flat amount", "[policy]") {
  // A flat amount that is not 13% of the threshold tells the two tiers apart.
  const SubsidyRule rule{1300, 100000, 10000};
  CHECK(rule.subsidy_for(100000) == 13000);  // 1000.00 * 13% = 130.00
  CHECK(rule.subsidy_for(100001) == 10000);  // 1000.01: flat 100.00
  CHECK(rule.subsidy_for(99999) == 13000);   // 999.99 * 13% = 129.9987 -> 130.00
}

TEST_CASE("a rate other than 13% is applied in basis points", "[policy]") {
  const SubsidyRule rule{1250, std::nullopt, 0};  // 12.50%
  CHECK(rule.subsidy_for(199900) == 24988);       // 1999.00 * 12.5% = 249.875 -> 249.88
  CHECK(rule.subsidy_for(100000) == 12500);
}

TEST_CASE("the 2010 policy file pays the tiers it names", "[policy]") {
  const auto p = load_policy("2010-06.ini");
  const auto& tv = category(p, Category::Tv).subsidy;
  CHECK(tv.subsidy_for(350000) == 45500);
  CHECK(tv.subsidy_for(350001) == 45500);
  CHECK(tv.subsidy_for(300000) == 39000);
  CHECK(tv.subsidy_for(700000) == 45500);
  // 2600.00 is above the fridge threshold 2500.00: flat 325.00, not 13% (338.00)
  CHECK(category(p, Category::Fridge).subsidy.subsidy_for(260000) == 32500);
  CHECK(category(p, Category::Fridge).subsidy.subsidy_for(240000) == 31200);
  CHECK(category(p, Category::Phone).subsidy.subsidy_for(150000) == 13000);
  CHECK(category(p, Category::Washer).subsidy.subsidy_for(199900) == 25987);
}

TEST_CASE("percentages parse into basis points", "[policy]") {
  CHECK(hn::parse_percent_basis_points("13") == 1300);
  CHECK(hn::parse_percent_basis_points("12.5") == 1250);
  CHECK(hn::parse_percent_basis_points("0.01") == 1);
  CHECK(hn::parse_percent_basis_points("100") == 10000);
  CHECK_FALSE(hn::parse_percent_basis_points("100.01"));
  CHECK_FALSE(hn::parse_percent_basis_points("13%"));
  CHECK_FALSE(hn::parse_percent_basis_points("-1"));
  CHECK_FALSE(hn::parse_percent_basis_points(""));
}

TEST_CASE("a minimal policy file parses", "[policy]") {
  PolicyPhase p;
  ImportMessage error;
  REQUIRE(hn::parse_policy_file(kHead + kTv, p, error));
  CHECK(p.id == "test");
  CHECK(p.categories.size() == 1);
  CHECK(p.active_category(Category::Fridge) == nullptr);  // absent means not enabled
  REQUIRE(p.active_category(Category::Tv));
  CHECK(p.active_category(Category::Tv)->cap == 200000);
}

TEST_CASE("comments after a value and CRLF line ends are ignored", "[policy]") {
  PolicyPhase p;
  ImportMessage error;
  REQUIRE(hn::parse_policy_file(
      "id = test\r\neffective_from = 2008-12-01 # roll-out\r\ncounty_mismatch = refuse\r\n"
      "[tv]\r\nactive = yes\r\ncap = 2000.00   # 2000 yuan\r\nhousehold_limit = 3\r\n"
      "subsidy_rate = 12.5\r\n",
      p, error));
  CHECK(p.county_mismatch == MismatchAction::Refuse);
  CHECK(p.categories.at(Category::Tv).cap == 200000);
  CHECK(p.categories.at(Category::Tv).household_limit == 3);
  CHECK(p.categories.at(Category::Tv).subsidy.rate_basis_points == 1250);
}

TEST_CASE("an unknown key in a category is refused with its line", "[policy]") {
  const auto e = policy_fails(kHead + kTv + "max_units = 3\n");
  CHECK(e.line == 9);
  CHECK(e.field == "max_units");
}

TEST_CASE("an unknown top-level key is refused with its line", "[policy]") {
  const auto e = policy_fails("id = test\nprovince = 34\neffective_from = 2008-12-01\n" + kTv);
  CHECK(e.line == 2);
  CHECK(e.field == "province");
}

TEST_CASE("a bad value is refused with its line and key", "[policy]") {
  struct Case {
    std::string text;
    int line;
    std::string key;
  };
  const Case cases[] = {
      {kHead + "[tv]\nactive = maybe\ncap = 2000.00\nhousehold_limit = 1\nsubsidy_rate = 13\n", 5,
       "active"},
      {kHead + "[tv]\nactive = yes\ncap = 2,000\nhousehold_limit = 1\nsubsidy_rate = 13\n", 6,
       "cap"},
      {kHead + "[tv]\nactive = yes\ncap = 2000.00\nhousehold_limit = -1\nsubsidy_rate = 13\n", 7,
       "household_limit"},
      {kHead + "[tv]\nactive = yes\ncap = 2000.00\nhousehold_limit = 1\nsubsidy_rate = 13%\n", 8,
       "subsidy_rate"},
      {kHead + kTv + "subsidy_threshold = lots\n", 9, "subsidy_threshold"},
      {"id = test\neffective_from = 2008-13-01\n" + kTv, 2, "effective_from"},
      {"id = test\neffective_from = 2008-12-01\ncentral_share = 101\n" + kTv, 3, "central_share"},
      {"id = test\neffective_from = 2008-12-01\ncounty_mismatch = ignore\n" + kTv, 3,
       "county_mismatch"},
      {"id =\neffective_from = 2008-12-01\n" + kTv, 1, "id"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const auto e = policy_fails(c.text);
    CHECK(e.line == c.line);
    CHECK(e.field == c.key);
  }
}

TEST_CASE("a category listed twice is refused on its second section", "[policy]") {
  const auto e = policy_fails(kHead + kTv + kTv);
  CHECK(e.line == 9);
  CHECK(e.field == "tv");
}

TEST_CASE("a key given twice in a section is refused", "[policy]") {
  const auto e = policy_fails(kHead + kTv + "cap = 2500.00\n");
  CHECK(e.line == 9);
  CHECK(e.field == "cap");
}

TEST_CASE("an unknown category section is refused", "[policy]") {
  const auto e = policy_fails(kHead + "[motorcycle]\nactive = yes\n");
  CHECK(e.line == 4);
  CHECK(e.field == "motorcycle");
}

TEST_CASE("a malformed line is refused with its line", "[policy]") {
  CHECK(policy_fails(kHead + "[tv\n").line == 4);
  CHECK(policy_fails(kHead + kTv + "cap 2000\n").line == 9);
}

TEST_CASE("a category without a cap is refused naming its section", "[policy]") {
  // [tv] opens on line 4 and lacks cap; the next section opens on line 8.
  const auto e =
      policy_fails(kHead + "[tv]\nactive = yes\nhousehold_limit = 1\nsubsidy_rate = 13\n" +
                   "[fridge]\nactive = no\ncap = 2500.00\nhousehold_limit = 1\n"
                   "subsidy_rate = 13\n");
  CHECK(e.field == "cap");
  CHECK_THAT(e.message_en, Catch::Contains("[tv]"));
  // The message must point at a line of the [tv] section, where the cap belongs.
  CHECK(e.line == 4);
}

TEST_CASE("the last category without a cap is refused on a line the file has", "[policy]") {
  // A 7-line file ending in a newline; [tv] opens on line 4 and lacks cap.
  const auto e =
      policy_fails(kHead + "[tv]\nactive = yes\nhousehold_limit = 1\nsubsidy_rate = 13\n");
  CHECK(e.field == "cap");
  CHECK(e.line == 4);
}

TEST_CASE("a category without active, household_limit or subsidy_rate is refused", "[policy]") {
  CHECK(
      policy_fails(kHead + "[tv]\ncap = 2000.00\nhousehold_limit = 1\nsubsidy_rate = 13\n").field ==
      "active");
  CHECK(policy_fails(kHead + "[tv]\nactive = yes\ncap = 2000.00\nsubsidy_rate = 13\n").field ==
        "household_limit");
  CHECK(policy_fails(kHead + "[tv]\nactive = yes\ncap = 2000.00\nhousehold_limit = 1\n").field ==
        "subsidy_rate");
}

TEST_CASE("a subsidy threshold without a flat amount is refused", "[policy]") {
  const auto e = policy_fails(kHead + kTv + "subsidy_threshold = 3500.00\n");
  CHECK(e.field == "subsidy_flat_above");
}

TEST_CASE("a subsidy threshold with an empty flat amount is refused", "[policy]") {
  // Otherwise every TV above 3500.00 would earn a subsidy of 0.00.
  const auto e = policy_fails(kHead + kTv + "subsidy_threshold = 3500.00\nsubsidy_flat_above =\n");
  CHECK(e.field == "subsidy_flat_above");
}

TEST_CASE("a policy file without id or effective_from is refused", "[policy]") {
  const auto no_id = policy_fails("effective_from = 2008-12-01\n" + kTv);
  CHECK(no_id.line == 0);
  CHECK(no_id.field == "id");
  const auto no_from = policy_fails("id = test\n" + kTv);
  CHECK(no_from.line == 0);
  CHECK(no_from.field == "effective_from");
}

TEST_CASE("an active category with a zero cap is refused", "[policy]") {
  const auto e = policy_fails(
      kHead + "[phone]\nactive = yes\ncap = 0\nhousehold_limit = 1\nsubsidy_rate = 13\n");
  CHECK(e.field == "phone");
}

TEST_CASE("an inactive category may have a zero cap", "[policy]") {
  PolicyPhase p;
  ImportMessage error;
  CHECK(hn::parse_policy_file(
      kHead + kTv + "[phone]\nactive = no\ncap = 0\nhousehold_limit = 1\nsubsidy_rate = 13\n", p,
      error));
}

TEST_CASE("a policy file that is not UTF-8 is refused", "[policy]") {
  const auto e =
      policy_fails("id = test\nname_zh = \xC4\xE3\xBA\xC3\neffective_from = 2008-12-01\n" + kTv);
  CHECK_THAT(e.message_en, Catch::Contains("UTF-8"));
}

TEST_CASE("overrides change a household limit and the county-mismatch action", "[policy]") {
  const auto base = load_policy("2008-12.ini");
  hn::PolicyOverrides o;
  o.household_limit[Category::Tv] = 2;
  o.county_mismatch = MismatchAction::Refuse;
  const auto p = hn::apply_overrides(base, o);
  CHECK(p.categories.at(Category::Tv).household_limit == 2);
  CHECK(p.county_mismatch == MismatchAction::Refuse);
  // Everything else stays as the phase says, and the phase itself is not changed.
  CHECK(p.categories.at(Category::Fridge).household_limit == 1);
  CHECK(p.categories.at(Category::Tv).cap == 200000);
  CHECK(base.categories.at(Category::Tv).household_limit == 1);
  CHECK(base.county_mismatch == MismatchAction::Warn);
}

TEST_CASE("empty overrides leave the phase as it is", "[policy]") {
  const auto p = hn::apply_overrides(load_policy("2009-04.ini"), hn::PolicyOverrides{});
  CHECK(p.county_mismatch == MismatchAction::Warn);
  CHECK(p.categories.at(Category::Tv).household_limit == 2);
}

TEST_CASE("an override for a category the phase lacks adds nothing", "[policy]") {
  PolicyPhase phase;
  ImportMessage error;
  REQUIRE(hn::parse_policy_file(kHead + kTv, phase, error));
  hn::PolicyOverrides o;
  o.household_limit[Category::Computer] = 5;
  const auto p = hn::apply_overrides(phase, o);
  CHECK(p.categories.size() == 1);
  CHECK(p.active_category(Category::Computer) == nullptr);
}
