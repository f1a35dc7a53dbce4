// The sale's rules on cards, buyers and models, each through `huinong sale` with its finding code.
#include <catch2/catch.hpp>

#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {
std::string at(const std::string& card, const char* price) { return card + "=" + price; }

// Exit 3, status refused, and a refusing finding with `code` about `card` (or the buyer).
void check_refused(const RunResult& r, const std::string& code) {
  INFO(r.describe());
  CHECK(r.exit_code == 3);
  const auto j = r.json();
  CHECK(j.at("status") == "refused");
  CHECK(has_finding(j, code, "refuse"));
  if (const auto f = find_finding(j, code)) {
    CHECK(has_cjk(f->at("message_zh").get<std::string>()));
    CHECK_FALSE(f->at("message_en").get<std::string>().empty());
  }
}
}  // namespace

TEST_CASE("a card this outlet never received is refused with CARD_NOT_RECEIVED", "[cli][card]") {
  DemoOutlet outlet;
  // POLICY R8: no goods receipt, no sale.
  const std::string card = "34080100000000019999";
  const auto r = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(at(card, "1999.00")));
  check_refused(r, "CARD_NOT_RECEIVED");
  const auto f = find_finding(r.json(), "CARD_NOT_RECEIVED");
  REQUIRE(f.has_value());
  CHECK(f->at("item") == card);
  CHECK(contains(f->at("message_en").get<std::string>(), card));
}

TEST_CASE("a card already sold is refused with CARD_ALREADY_SOLD", "[cli][card]") {
  DemoOutlet outlet;
  const auto first = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(at(d::kTv1, "1999.00")));
  INFO(first.describe());
  REQUIRE(first.exit_code == 0);
  // POLICY S1: a card can be sold once, to anybody.
  check_refused(outlet.sell(sale_to("李四", d::kIdLi, d::kHouseholdB).item(at(d::kTv1, "1999.00"))), "CARD_ALREADY_SOLD");
}

TEST_CASE("a serial number that is not the card's is refused with CARD_SERIAL_MISMATCH", "[cli][card]") {
  DemoOutlet outlet;
  // POLICY S1: the card must match the product; TLM26V68-0811A00018 belongs to card ...0002.
  const auto r = outlet.sell(
      sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + ":TLM26V68-0811A00018=1999.00"));
  check_refused(r, "CARD_SERIAL_MISMATCH");
  const auto f = find_finding(r.json(), "CARD_SERIAL_MISMATCH");
  REQUIRE(f.has_value());
  CHECK(contains(f->at("message_en").get<std::string>(), "TLM26V68-0811A00018"));
  CHECK(contains(f->at("message_en").get<std::string>(), d::kTv1Serial));
}

TEST_CASE("a buyer with a non-agricultural hukou is refused with BUYER_NOT_ELIGIBLE", "[cli][buyer]") {
  DemoOutlet outlet;
  // POLICY R4: agricultural household registration only.
  check_refused(outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA)
                                .item(at(d::kTv1, "1999.00"))
                                .option("--hukou", "non-agricultural")),
                "BUYER_NOT_ELIGIBLE");
  // Stated explicitly, an agricultural hukou sells (it is also the default).
  const auto ok = outlet.sell(
      sale_to("张三", d::kIdZhang, d::kHouseholdA).item(at(d::kTv1, "1999.00")).option("--hukou", "agricultural"));
  INFO(ok.describe());
  CHECK(ok.exit_code == 0);
}

TEST_CASE("an ID number with a bad check digit is refused and never shown in full", "[cli][buyer][privacy]") {
  DemoOutlet outlet;
  // POLICY R4 / GB 11643: ...1238 where the check digit must be 9.
  const auto json_run = outlet.sell(sale_to("张三", d::kIdBadCheck, d::kHouseholdA).item(at(d::kTv1, "1999.00")));
  check_refused(json_run, "ID_INVALID");
  const auto text_run =
      outlet.sell(sale_to("张三", d::kIdBadCheck, d::kHouseholdA).item(at(d::kTv1, "1999.00")).as_text());
  INFO(text_run.describe());
  CHECK(text_run.exit_code == 3);
  CHECK(contains(text_run.err, "ID_INVALID"));
  for (const auto* r : {&json_run, &text_run}) {
    // Personal data is masked on screens (DESIGN.md "Data"): 3413**********1238.
    CHECK_FALSE(contains(r->all_output(), d::kIdBadCheck));
    CHECK_FALSE(contains(r->all_output(), "34132219800101123"));
    CHECK(contains(r->all_output(), "3413**********1238"));
  }
  // Too short a number is masked as well.
  const auto short_run = outlet.sell(sale_to("张三", "34132219800101123", d::kHouseholdA).item(at(d::kTv1, "1999.00")));
  check_refused(short_run, "ID_INVALID");
  CHECK_FALSE(contains(short_run.all_output(), "34132219800101123"));
  CHECK(outlet.reader().count("sales") == 0);
}

TEST_CASE("an ID number with the check character X is accepted", "[cli][buyer]") {
  DemoOutlet outlet;
  const auto r = outlet.sell(sale_to("孙七", d::kIdWithX, d::kHouseholdB).item(at(d::kTv1, "1999.00")));
  INFO(r.describe());
  CHECK(r.exit_code == 0);
  CHECK(r.json().at("status") == "accepted");
}

TEST_CASE("a buyer registered in another county is sold to with a COUNTY_MISMATCH warning", "[cli][buyer]") {
  DemoOutlet outlet;  // county 341322
  // POLICY R7: warn by default; the ID number 340102... is registered in 合肥 瑶海区.
  const auto r = outlet.sell(sale_to("周八", d::kIdHefei, d::kHouseholdB).item(at(d::kTv1, "1999.00")));
  INFO(r.describe());
  CHECK(r.exit_code == 0);
  const auto j = r.json();
  CHECK(j.at("status") == "accepted");
  CHECK(j.at("invoice_no") == "00000001");
  REQUIRE(has_finding(j, "COUNTY_MISMATCH", "warn"));
  const auto f = find_finding(j, "COUNTY_MISMATCH");
  CHECK(contains(f->at("message_en").get<std::string>(), "340102"));
  CHECK(contains(f->at("message_en").get<std::string>(), "341322"));
  CHECK(has_cjk(f->at("message_zh").get<std::string>()));
}

TEST_CASE("a model whose catalog validity has ended is refused with MODEL_NOT_ELIGIBLE", "[cli][model]") {
  DemoOutlet outlet;
  // POLICY R1: SKYWORTH-21TI9000 left the demo catalog on 2009-11-30; its cards were received.
  const auto r = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(at(d::kExpiredTv, "799.00")));
  check_refused(r, "MODEL_NOT_ELIGIBLE");
  const auto f = find_finding(r.json(), "MODEL_NOT_ELIGIBLE");
  REQUIRE(f.has_value());
  CHECK(contains(f->at("message_en").get<std::string>(), "2009-11-30"));
}

TEST_CASE("a computer is refused while the 2008 phase keeps its category inactive and sells under 2009-04",
          "[cli][model][policy]") {
  DemoOutlet outlet;
  // The demo catalog lists LENOVO-JIAYUE-E2630 (computer, 3499.00) but ships no card for it.
  const auto received =
      outlet.receive_cards("card_no,serial_no,model_code\n34080500000000050001,E2630-0812P00001,LENOVO-JIAYUE-E2630\n");
  INFO(received.describe());
  REQUIRE(received.exit_code == 0);

  // POLICY R2: computers came with a later phase.
  check_refused(outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(at("34080500000000050001", "3499.00"))),
                "MODEL_NOT_ELIGIBLE");

  const auto use = outlet.as_manager({"policy", "use", "--user", d::kManager, "2009-04"});
  INFO(use.describe());
  REQUIRE(use.exit_code == 0);
  const auto r = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(at("34080500000000050001", "3499.00")));
  INFO(r.describe());
  CHECK(r.exit_code == 0);
  CHECK(r.json().at("subsidy") == "454.87");  // 13% of 3499.00 = 454.87
}

TEST_CASE("a model sells from the first to the last day of its validity in the outlet's local date",
          "[cli][model]") {
  DemoOutlet outlet;
  // POLICY R1; dates are the outlet's (Asia/Shanghai) dates, both ends included.
  const std::string yesterday = shanghai_date(-1), today = shanghai_date(0), tomorrow = shanghai_date(1);
  const std::string catalog = "model_code,category,brand,name,spec,max_price,valid_from,valid_to\n"
                              "EDGE-ENDS-TODAY,tv,熊猫,彩电,21英寸,999.00,2008-12-01," + today + "\n"
                              "EDGE-ENDED,tv,熊猫,彩电,21英寸,999.00,2008-12-01," + yesterday + "\n"
                              "EDGE-STARTS-TODAY,tv,熊猫,彩电,21英寸,999.00," + today + ",\n"
                              "EDGE-NOT-YET,tv,熊猫,彩电,21英寸,999.00," + tomorrow + ",\n";
  const auto imported = outlet.import_catalog(catalog);
  INFO(imported.describe());
  REQUIRE(imported.exit_code == 0);
  const auto cards = outlet.receive_cards("card_no,serial_no,model_code\n"
                                          "EDGE-0001,E-1,EDGE-ENDS-TODAY\n"
                                          "EDGE-0002,E-2,EDGE-ENDED\n"
                                          "EDGE-0003,E-3,EDGE-STARTS-TODAY\n"
                                          "EDGE-0004,E-4,EDGE-NOT-YET\n");
  INFO(cards.describe());
  REQUIRE(cards.exit_code == 0);

  const auto ends_today = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item("EDGE-0001=999.00"));
  const auto ended = outlet.sell(sale_to("李四", d::kIdLi, d::kHouseholdB).item("EDGE-0002=999.00"));
  const auto starts_today = outlet.sell(sale_to("王五", d::kIdWang, d::kHouseholdC).item("EDGE-0003=999.00"));
  const auto not_yet = outlet.sell(sale_to("赵六", d::kIdZhao, d::kHouseholdD).item("EDGE-0004=999.00"));
  if (shanghai_date(0) != today) {
    WARN("the outlet's date changed during the test (midnight in Shanghai); boundaries not checked");
    return;
  }
  {
    INFO(ends_today.describe());
    CHECK(ends_today.exit_code == 0);
  }
  check_refused(ended, "MODEL_NOT_ELIGIBLE");
  {
    INFO(starts_today.describe());
    CHECK(starts_today.exit_code == 0);
  }
  check_refused(not_yet, "MODEL_NOT_ELIGIBLE");
}

TEST_CASE("a policy that sets county_mismatch to refuse refuses a buyer from another county", "[cli][buyer][policy]") {
  DemoOutlet outlet;
  // POLICY R7: "refusing instead is a setting" of the province's policy data.
  auto ini = read_file(asset("policy/2008-12.ini"));
  REQUIRE(ini);
  auto replace = [&](const std::string& from, const std::string& to) {
    const auto at_pos = ini->find(from);
    REQUIRE(at_pos != std::string::npos);
    ini->replace(at_pos, from.size(), to);
  };
  replace("id = 2008-12", "id = 2008-12-strict");
  replace("county_mismatch = warn", "county_mismatch = refuse");
  const std::string path = outlet.file("2008-12-strict.ini");
  write_file(path, *ini);
  const auto imported = outlet.as_manager({"policy", "import", "--user", d::kManager, path});
  INFO(imported.describe());
  REQUIRE(imported.exit_code == 0);
  const auto use = outlet.as_manager({"policy", "use", "--user", d::kManager, "2008-12-strict"});
  INFO(use.describe());
  REQUIRE(use.exit_code == 0);

  const auto r = outlet.sell(sale_to("周八", d::kIdHefei, d::kHouseholdB).item(std::string(d::kTv1) + "=1999.00"));
  check_refused(r, "COUNTY_MISMATCH");
  // A buyer of the outlet's own county is still sold to.
  const auto own = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00"));
  INFO(own.describe());
  CHECK(own.exit_code == 0);
}
