// `huinong sale --pay` (issue 16): how the buyer paid, stored with the sale, journaled, on the
// invoice; payments that do not settle the total sell nothing.
#include <catch2/catch.hpp>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {
SaleArgs tv_sale() {
  return sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + ":" + d::kTv1Serial + "=1999.00");
}

// Every row a sale writes, and the cards' states: a refused payment changes none of them.
std::vector<std::int64_t> written(const DemoOutlet& o) {
  const DbReader db = o.reader();
  return {db.count("sales"), db.count("sale_items"), db.count("sale_payments"), db.count("outbox"),
          db.scalar("SELECT COUNT(*) FROM label_cards WHERE state = 'sold'"),
          db.scalar("SELECT COUNT(*) FROM journal WHERE kind = 'sale'")};
}
}  // namespace

TEST_CASE("cash tendered above the total gives change, stored and journaled with the sale", "[cli][payment]") {
  DemoOutlet outlet;
  const auto r = outlet.sell(tv_sale().option("--pay", "cash:2000.00").option("--invoice-out", outlet.file("inv.txt")));
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  const auto j = r.json();
  CHECK(j.at("total") == "1999.00");
  CHECK(j.at("change") == "1.00");
  REQUIRE(j.at("payments").size() == 1);
  CHECK(j.at("payments")[0].at("method") == "cash");
  CHECK(j.at("payments")[0].at("amount") == "2000.00");
  CHECK_FALSE(j.at("payments")[0].contains("reference"));

  const DbReader db = outlet.reader();
  CHECK(db.rows("SELECT method, amount, reference, change FROM sale_payments") ==
        std::vector<std::vector<std::string>>{{"cash", "200000", "", "100"}});
  const auto body = nlohmann::json::parse(db.column("SELECT body FROM journal WHERE kind = 'sale'").at(0));
  CHECK(body.at("payments") == nlohmann::json::parse(R"([{"method":"cash","amount":200000}])"));
  CHECK(body.at("change") == 100);

  const std::string invoice = read_file(outlet.file("inv.txt")).value_or("");
  CHECK(invoice.find("实收 Paid 现金 Cash: 2000.00") != std::string::npos);
  CHECK(invoice.find("找零 Change: 1.00") != std::string::npos);
}

TEST_CASE("a sale without --pay is paid exactly in cash, as before", "[cli][payment]") {
  DemoOutlet outlet;
  const auto r = outlet.sell(tv_sale());
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  const auto j = r.json();
  CHECK(j.at("change") == "0.00");
  CHECK(j.at("payments") == nlohmann::json::parse(R"([{"method":"cash","amount":"1999.00"}])"));
  CHECK(outlet.reader().rows("SELECT method, amount, change FROM sale_payments") ==
        std::vector<std::vector<std::string>>{{"cash", "199900", "0"}});
}

TEST_CASE("a split card and cash payment keeps the card's reference and gives change from the cash", "[cli][payment]") {
  DemoOutlet outlet;
  const auto r = outlet.sell(tv_sale().option("--pay", "card:POS-20261127-0042:1500.00").option("--pay", "cash:500.00"));
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  const auto j = r.json();
  CHECK(j.at("change") == "1.00");
  CHECK(j.at("payments") == nlohmann::json::parse(
                                R"([{"method":"card","amount":"1500.00","reference":"POS-20261127-0042"},
                                    {"method":"cash","amount":"500.00"}])"));
  CHECK(outlet.reader().rows("SELECT seq, method, amount, reference, change FROM sale_payments ORDER BY seq") ==
        std::vector<std::vector<std::string>>{{"1", "card", "150000", "POS-20261127-0042", "0"},
                                              {"2", "cash", "50000", "", "100"}});
}

TEST_CASE("payments short of the total are refused and nothing is written", "[cli][payment]") {
  DemoOutlet outlet;
  const auto before = written(outlet);
  const auto r = outlet.sell(tv_sale().option("--pay", "cash:1000.00").option("--pay", "mobile:WX8812:500.00"));
  INFO(r.describe());
  CHECK(r.exit_code == 3);
  CHECK(r.all_output().find("PAYMENT_SHORT") != std::string::npos);
  CHECK(r.all_output().find("499.00") != std::string::npos);
  CHECK(written(outlet) == before);
}

TEST_CASE("a card payment above the total is refused: a card gives no change", "[cli][payment]") {
  DemoOutlet outlet;
  const auto before = written(outlet);
  const auto r = outlet.sell(tv_sale().option("--pay", "card:R1:2000.00"));
  INFO(r.describe());
  CHECK(r.exit_code == 2);
  CHECK(r.all_output().find("PAYMENT_INVALID") != std::string::npos);
  CHECK(written(outlet) == before);
}

TEST_CASE("a malformed --pay is bad input, named in both languages, and sells nothing", "[cli][payment]") {
  DemoOutlet outlet;
  const auto before = written(outlet);
  for (const std::string bad : {"cash", "cash:", "cash:-5", "cash:0", "cash:REF:10.00", "card:1500.00",
                                "card::1500.00", "cheque:100.00", "mobile:has space:10.00", "cash:1e3"}) {
    const auto r = outlet.sell(tv_sale().option("--pay", bad));
    INFO(bad << "\n" << r.describe());
    CHECK(r.exit_code == 2);
    CHECK(r.all_output().find("PAYMENT_INVALID") != std::string::npos);
  }
  CHECK(written(outlet) == before);
}

namespace {
// Three sales of a day: exactly in cash (1999.00), card and cash with change (1699.00), mobile
// (1799.00). Cash tendered 1999.00 + 200.00, change 1.00; card 1500.00; mobile 1799.00.
void sell_a_day(const DemoOutlet& outlet) {
  REQUIRE(outlet.sell(tv_sale()).exit_code == 0);
  const auto split = outlet.sell(sale_to("李四", d::kIdLi, d::kHouseholdB)
                                     .item(std::string(d::kTclTv1) + "=1699.00")
                                     .option("--pay", "card:POS-1:1500.00")
                                     .option("--pay", "cash:200.00"));
  INFO(split.describe());
  REQUIRE(split.exit_code == 0);
  REQUIRE(split.json().at("change") == "1.00");
  const auto mobile = outlet.sell(sale_to("王五", d::kIdWang, d::kHouseholdC)
                                      .item(std::string(d::kFridge1) + "=1799.00")
                                      .option("--pay", "mobile:WX-77:1799.00"));
  INFO(mobile.describe());
  REQUIRE(mobile.exit_code == 0);
}
}  // namespace

TEST_CASE("the daily report counts the stored payments per method, in text and JSON", "[cli][payment][report]") {
  DemoOutlet outlet;
  sell_a_day(outlet);
  const auto j = outlet.as_manager({"report", "daily", "--user", d::kManager, "--json"});
  INFO(j.describe());
  REQUIRE(j.exit_code == 0);
  const auto r = j.json();
  CHECK(r.at("by_payment") == nlohmann::json::parse(R"({"cash":{"count":2,"amount":"2199.00"},
                                                         "card":{"count":1,"amount":"1500.00"},
                                                         "mobile":{"count":1,"amount":"1799.00"}})"));
  CHECK(r.at("change_given") == "1.00");
  CHECK(r.at("cash_kept") == "2198.00");
  const auto text = outlet.as_manager({"report", "daily", "--user", d::kManager});
  INFO(text.describe());
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("现金 Cash") != std::string::npos);
  CHECK(text.out.find("2199.00") != std::string::npos);
  CHECK(text.out.find("银行卡 Card") != std::string::npos);
  CHECK(text.out.find("移动支付 Mobile") != std::string::npos);
  CHECK(text.out.find("找零 Change given: 1.00   现金净收 Cash kept: 2198.00") != std::string::npos);
}

TEST_CASE("close day --cash-counted signs the count and its difference against the day's cash", "[cli][payment][audit]") {
  DemoOutlet outlet;
  sell_a_day(outlet);
  const auto closed =
      outlet.as_manager({"close", "day", "--user", d::kManager, "--cash-counted", "2190.50", "--json"});
  INFO(closed.describe());
  REQUIRE(closed.exit_code == 0);
  const auto j = closed.json();
  CHECK(j.at("cash_net") == "2198.00");
  CHECK(j.at("cash_counted") == "2190.50");
  CHECK(j.at("cash_difference") == "-7.50");
  CHECK(j.at("change_given") == "1.00");
  CHECK(j.at("payments") == nlohmann::json::parse(R"({"cash":"2199.00","card":"1500.00","mobile":"1799.00"})"));
  // On the signed body itself, in fen.
  const auto body = nlohmann::json::parse(outlet.reader().column("SELECT body FROM closings").at(0));
  CHECK(body.at("cash_counted") == 219050);
  CHECK(body.at("cash_difference") == -750);
  CHECK(body.at("cash_net") == 219800);

  // The auditor's export with this closing still verifies.
  REQUIRE(outlet.run({"user", "add", "--user", d::kManager, "--login", "zhou", "--name", "周审计", "--role", "auditor"},
                     {{"HUINONG_PIN", d::kManagerPin}, {"HUINONG_NEW_PIN", "246810"}})
              .exit_code == 0);
  const auto exported = outlet.run({"audit", "export", "--user", "zhou", "--out", outlet.file("a.json"), "--json"},
                                   {{"HUINONG_PIN", "246810"}});
  INFO(exported.describe());
  REQUIRE(exported.exit_code == 0);
  const auto verified = run_huinong({"audit", "verify", outlet.file("a.json"), "--json"}, {});
  INFO(verified.describe());
  CHECK(verified.exit_code == 0);
}

TEST_CASE("a malformed --cash-counted is bad input and closes nothing", "[cli][payment][audit]") {
  DemoOutlet outlet;
  const auto r = outlet.as_manager({"close", "day", "--user", d::kManager, "--cash-counted", "-3", "--json"});
  INFO(r.describe());
  CHECK(r.exit_code == 2);
  CHECK(r.all_output().find("CASH_COUNT_INVALID") != std::string::npos);
  CHECK(outlet.reader().count("closings") == 0);
}

TEST_CASE("the daily report's spreadsheet CSV and PDF carry the payments per method", "[cli][payment][report]") {
  DemoOutlet outlet;
  sell_a_day(outlet);
  const auto csv = outlet.as_manager({"report", "daily", "--user", d::kManager, "--out", outlet.file("day.csv")});
  INFO(csv.describe());
  REQUIRE(csv.exit_code == 0);
  const std::string sheet = read_file(outlet.file("day.csv")).value_or("");
  CHECK(sheet.find("按付款方式 By payment") != std::string::npos);
  CHECK(sheet.find("现金 Cash,cash,2,2199.00") != std::string::npos);
  CHECK(sheet.find("银行卡 Card,card,1,1500.00") != std::string::npos);
  CHECK(sheet.find("找零 Change given,change,,1.00") != std::string::npos);

  const auto pdf = outlet.as_manager({"report", "daily", "--user", d::kManager, "--format", "pdf", "--out",
                                      outlet.file("day.pdf")});
  INFO(pdf.describe());
  REQUIRE(pdf.exit_code == 0);
  std::string text;
  FILE* p = ::popen(("pdftotext -layout " + outlet.file("day.pdf") + " -").c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  REQUIRE(::pclose(p) == 0);
  INFO(text);
  CHECK(text.find("2199.00 / 1500.00 / 1799.00 / 1.00") != std::string::npos);
}
