// The payments against the journal (issue 16): a sale_payments row edited with SQL is found like
// an edited sales row (DATABASE_DAMAGED, naming the invoice, before anything else is written or
// exported), and the auditor's export carries each invoice's payments and change, checked by
// `huinong audit verify` against the journal even when the file is signed again.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"
#include "store/journal.hpp"
#include "platform/signing.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {
RunResult sell_split(const DemoOutlet& o) {
  return o.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA)
                    .item(std::string(d::kTv1) + ":" + d::kTv1Serial + "=1999.00")
                    .option("--pay", "card:POS-0001:500.00")
                    .option("--pay", "cash:1500.00"));
}

void expect_damaged(const RunResult& r) {
  INFO(r.describe());
  CHECK(r.exit_code == 5);
  const auto e = error_of(r.json());
  CHECK(e["code"] == "DATABASE_DAMAGED");
  CHECK(contains(e["message_zh"], "发票 00000001"));
  CHECK(contains(e["message_en"], "invoice 00000001"));
}
}  // namespace

TEST_CASE("a sale_payments row edited with SQL is DATABASE_DAMAGED naming its invoice, and nothing is exported",
          "[cli][payment][hardening]") {
  DemoOutlet outlet;
  REQUIRE(sell_split(outlet).exit_code == 0);
  const std::string edit = "DROP TRIGGER sale_payments_no_update; DROP TRIGGER sale_payments_no_delete; ";
  SECTION("the cash amount") { tamper(outlet.db(), edit + "UPDATE sale_payments SET amount = 100000 WHERE seq = 2"); }
  SECTION("the method") { tamper(outlet.db(), edit + "UPDATE sale_payments SET method = 'cash' WHERE seq = 1"); }
  SECTION("the card's reference") {
    tamper(outlet.db(), edit + "UPDATE sale_payments SET reference = 'POS-9999' WHERE seq = 1");
  }
  SECTION("the change") { tamper(outlet.db(), edit + "UPDATE sale_payments SET change = 0"); }
  SECTION("a payment deleted") { tamper(outlet.db(), edit + "DELETE FROM sale_payments WHERE seq = 1"); }
  SECTION("a payment added") {
    tamper(outlet.db(), "INSERT INTO sale_payments(sale_id, seq, method, amount) SELECT sale_id, 3, 'cash', 100 "
                        "FROM sale_payments LIMIT 1");
  }
  expect_damaged(outlet.as_manager({"--json", "report", "daily", "--user", d::kManager}));
  expect_damaged(outlet.as_manager({"--json", "audit", "export", "--user", d::kManager, "--out", outlet.file("a.json")}));
  CHECK_FALSE(read_file(outlet.file("a.json")));
}

TEST_CASE("the audit export carries each invoice's payments, and audit verify finds one changed in the file",
          "[cli][payment][audit]") {
  DemoOutlet outlet;
  REQUIRE(sell_split(outlet).exit_code == 0);
  const auto exported = outlet.as_manager({"--json", "audit", "export", "--user", d::kManager, "--out", outlet.file("a.json")});
  INFO(exported.describe());
  REQUIRE(exported.exit_code == 0);
  REQUIRE(outlet.run({"--json", "audit", "verify", outlet.file("a.json")}).exit_code == 0);
  auto b = nlohmann::json::parse(*read_file(outlet.file("a.json")));
  const auto& inv = b["invoices"].at(0);
  CHECK(inv.at("payments") == nlohmann::json::parse(R"([{"method":"card","amount":50000,"reference":"POS-0001"},
                                                        {"method":"cash","amount":150000,"reference":""}])"));
  CHECK(inv.at("change") == 100);
  // What an export of an edited payment row by an older terminal looked like, signed again with
  // the terminal's own key: the cash became a card.
  b["invoices"][0]["payments"][1]["method"] = "card";
  b.erase("signature");
  b["signature"] = hn::platform::SigningKey::load(outlet.db() + ".sign").sign(hn::store::canonical_json(b));
  write_file(outlet.file("b.json"), b.dump(1));
  const auto r = outlet.run({"--json", "audit", "verify", outlet.file("b.json")});
  INFO(r.describe());
  CHECK(r.exit_code == 5);
  CHECK(contains(r.out, "DATABASE_DAMAGED"));
  CHECK(contains(r.out, "payment 2"));
  CHECK_FALSE(contains(r.out, "BUNDLE_SIGNATURE"));
}
