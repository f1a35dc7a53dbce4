// `huinong sale --pay` (issue 16): how the buyer paid, stored with the sale, journaled, on the
// invoice; payments that do not settle the total sell nothing.
#include <catch2/catch.hpp>

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

