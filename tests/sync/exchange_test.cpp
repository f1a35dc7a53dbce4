// Exchanges for the same model (换货, returns issue) over the provincial system: the real sandbox
// on loopback, `huinong-sandbox claim` as the township finance office, a real terminal database
// driven through the use case and the CLI.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <fstream>

#include "app/paths.hpp"
#include "app/store_access.hpp"
#include "app/province_link.hpp"
#include "province_harness.hpp"

using namespace hn;
using namespace hn::test;

namespace {
const char* kHousehold = "3413220012";

// One outlet, cards 1-6 (one TV model), a TV sold on invoice 1 with card 1.
struct Shop {
  TempDir dir;
  Province province{dir.path()};
  std::string credential = province.add_outlet("AH-XX-0001", 1, 6, dir.file("a.csv"));
  TestTerminal a{dir.file("a.db"), "AH-XX-0001", dir.file("a.csv")};
  std::unique_ptr<sync::ProvinceClient> client;

  explicit Shop(bool upload_the_sale = true) {
    REQUIRE(a.sell_tv(tv_card(1), kHousehold));
    province.serve();
    client = sync::ProvinceClient::connect(province.url(), sync::load_credential(credential));
    if (upload_the_sale) REQUIRE(upload().accepted == 1);
  }
  sync::SyncCounts upload() { return sync::SyncService(hn::app::store_of(*a.t), *client, unix_ms, fast_retries()).pass(); }
  app::Result<app::ExchangeResult> exchange(const std::string& old_card, int new_card,
                                            const std::string& serial = "") {
    return a.t->exchange_item(a.clerk, a.manager, 1, old_card, tv_card(new_card),
                              serial.empty() ? tv_serial(new_card) : serial, "屏幕坏点,三包换货");
  }
  std::int64_t local(const std::string& sql) { return query(dir.file("a.db"), sql); }
  std::int64_t prov(const std::string& sql) { return query(province.db(), sql); }
  std::string card_state(const std::string& card) {
    for (const char* s : {"in_stock", "sold", "returned"})
      if (local("SELECT COUNT(*) FROM label_cards WHERE card_no = '" + card + "' AND state = '" + s + "'") == 1)
        return s;
    return "?";
  }
  std::string prov_card_state(const std::string& card) {
    for (const char* s : {"issued", "sold", "returned"})
      if (prov("SELECT COUNT(*) FROM prov_cards WHERE card_no = '" + card + "' AND state = '" + s + "'") == 1)
        return s;
    return "?";
  }
};
}  // namespace

TEST_CASE("exchange: an uploaded TV is swapped for one of the same model and the claim follows it",
          "[sync][exchange]") {
  Shop s;
  sandbox({"claim", "--db", s.province.db(), "--card", tv_card(1), "--state", "claimed"});
  const auto before = s.a.t->invoice(1);
  REQUIRE(before.ok());

  const auto x = s.exchange(tv_card(1), 2);
  REQUIRE(x.ok());
  // Same buyer, same invoice number, same price and subsidy; the line carries the new unit.
  CHECK(x->sale.invoice_no == 1);
  CHECK(x->sale.total == before->total);
  CHECK(x->sale.subsidy == before->subsidy);
  REQUIRE(x->sale.items.size() == 1);
  CHECK(x->sale.items[0].card_no == tv_card(2));
  CHECK(x->sale.items[0].serial_no == tv_serial(2));
  CHECK(x->exchange.old_serial == tv_serial(1));
  // The invoice to hand over: the new card in the top-right corner (POLICY S4), marked 换货.
  CHECK(x->invoice.status == "换货 EXCHANGED");
  const std::string paper = render_invoice_text(x->invoice);
  const std::string top_right = paper.substr(0, paper.find("家电下乡产品销售发票"));
  CHECK(top_right.find(tv_card(2)) != std::string::npos);
  CHECK(top_right.find(tv_card(1)) == std::string::npos);
  CHECK(paper.find("换货 原标识卡 Replaces card: " + tv_card(1)) != std::string::npos);
  CHECK(paper.find("341322198001011239") != std::string::npos);
  // The invoice as it read before is kept with the exchange.
  CHECK(x->exchange.invoice_before.find(tv_card(1)) != std::string::npos);
  CHECK(hn::app::store_of(*s.a.t).exchanges().find(x->exchange.id)->invoice_before == x->exchange.invoice_before);
  // POLICY S1: the old card is taken back for good, the new one is sold.
  CHECK(s.card_state(tv_card(1)) == "returned");
  CHECK(s.card_state(tv_card(2)) == "sold");
  CHECK(s.local("SELECT COUNT(*) FROM journal WHERE kind = 'exchange'") == 1);
  // Kept as made, for the retention period: neither changed nor deleted behind the terminal.
  for (const char* sql : {"UPDATE exchanges SET reason = 'x'", "DELETE FROM exchanges"}) {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open(s.dir.file("a.db").c_str(), &h) == SQLITE_OK);
    CHECK(sqlite3_exec(h, sql, nullptr, nullptr, nullptr) == SQLITE_CONSTRAINT);
    sqlite3_close(h);
  }
  CHECK(s.local("SELECT COUNT(*) FROM exchanges WHERE reason = '屏幕坏点,三包换货'") == 1);

  // The province moves the line and the claim to the new card.
  CHECK(s.upload().accepted == 1);
  CHECK(s.prov("SELECT COUNT(*) FROM prov_sale_items WHERE card_no = '" + tv_card(2) + "' AND serial_no = '" +
               tv_serial(2) + "'") == 1);
  CHECK(s.prov("SELECT COUNT(*) FROM prov_sale_items WHERE card_no = '" + tv_card(1) + "'") == 0);
  CHECK(s.prov("SELECT COUNT(*) FROM prov_claims WHERE card_no = '" + tv_card(2) + "' AND state = 'claimed'") == 1);
  CHECK(s.prov_card_state(tv_card(1)) == "returned");
  CHECK(s.prov_card_state(tv_card(2)) == "sold");
  CHECK(s.prov("SELECT COUNT(*) FROM prov_events WHERE kind = 'exchange' AND status = 'accepted'") == 1);
  CHECK(s.upload().sent == 0);  // nothing left to send

  // The household still holds its one TV (POLICY R5): an exchange gives no quota back.
  CHECK_FALSE(s.a.sell_tv(tv_card(3), kHousehold));
  // The old card still finds the sale (the buyer may bring the first paper).
  CHECK(s.a.t->invoice_of_card(tv_card(1)) == std::optional<std::int64_t>(1));
  CHECK(s.a.t->invoice_of_card(tv_card(2)) == std::optional<std::int64_t>(1));  // and the new one
  // Exchanging the old card again says what became of it; the new one can be exchanged.
  const auto again = s.exchange(tv_card(1), 4);
  REQUIRE_FALSE(again.ok());
  CHECK(again.problem().code == "ALREADY_EXCHANGED");
  CHECK(again.problem().message_zh.find(tv_card(2)) != std::string::npos);
  const auto second = s.exchange(tv_card(2), 4);
  REQUIRE(second.ok());
  CHECK(second->invoice.lines[0].replaces_card == tv_card(2));
  CHECK(s.upload().accepted == 1);
  CHECK(s.prov("SELECT COUNT(*) FROM prov_claims WHERE card_no = '" + tv_card(4) + "'") == 1);

  // The exchanged TV is returned later under its new card: the claim is cancelled first, the
  // return completes and the quota comes back (POLICY R6).
  app::ask_province_at_checkout(*s.a.t, *s.client);
  const auto ret = s.a.t->return_item(s.a.clerk, s.a.manager, 1, tv_card(4), "顾客不要了");
  REQUIRE(ret.ok());
  CHECK(ret->completed);
  CHECK(ret->request.province_state == "claimed");
  CHECK(s.upload().accepted == 2);
  CHECK(s.a.sell_tv(tv_card(5), kHousehold));
}

TEST_CASE("exchange: made before the sale went up, the sale carries the new card and the old one is taken back",
          "[sync][exchange]") {
  Shop s(false);  // the network was down at the sale
  const auto x = s.exchange(tv_card(1), 2);
  REQUIRE(x.ok());
  CHECK(s.local("SELECT COUNT(*) FROM outbox WHERE state = 'pending'") == 2);  // the sale, then the exchange
  const auto c = s.upload();
  CHECK(c.accepted == 2);
  CHECK(c.rejected == 0);
  CHECK(s.prov("SELECT COUNT(*) FROM prov_sale_items WHERE card_no = '" + tv_card(2) + "'") == 1);
  CHECK(s.prov_card_state(tv_card(1)) == "returned");  // it can never be sold anywhere
  CHECK(s.prov_card_state(tv_card(2)) == "sold");
  CHECK(s.local("SELECT COUNT(*) FROM outbox WHERE state <> 'accepted'") == 0);
  CHECK(s.local("SELECT COUNT(*) FROM tasks") == 0);
}

TEST_CASE("exchange: every refusal says why and changes nothing, through the CLI", "[sync][exchange][cli]") {
  Shop s;
  REQUIRE(s.a.sell_tv(tv_card(3), "3413220099"));  // card 3 goes to another household
  // A TV of another model received by the shop (the terminal's own record).
  {
    const std::string csv = s.dir.file("other.csv");
    std::ofstream(csv) << "card_no,serial_no,model_code\n77020000000000000009,TCL-SER-9,TCL-L22E9\n";
    const auto text = app::read_input_file(csv, files::Kind::CardsCsv);
    REQUIRE(text.ok());
    REQUIRE(s.a.t->receive_cards(s.a.manager, text.value(), csv).ok());
  }
  const std::string db = s.dir.file("a.db");
  auto cli = [&](const std::vector<std::string>& args, const Env& env, std::string& out) {
    return run_cli_json(db, args, env, out);
  };
  const Env pins = {{"HUINONG_PIN", "5678"}, {"HUINONG_APPROVER_PIN", "1234"}};
  auto exchange = [&](const std::string& approver, const std::string& invoice, const std::string& new_card,
                      const std::string& serial, const std::string& reason, std::string& out) {
    std::vector<std::string> a = {"exchange", "--user", "li", "--approver", approver, "--invoice", invoice,
                                  "--card", tv_card(1), "--new-card", new_card, "--new-serial", serial};
    if (!reason.empty()) {
      a.push_back("--reason");
      a.push_back(reason);
    }
    return cli(a, approver == "li" ? Env{{"HUINONG_PIN", "5678"}, {"HUINONG_APPROVER_PIN", "5678"}} : pins, out);
  };
  const auto journal_before = s.local("SELECT COUNT(*) FROM journal");
  std::string out, err;
  struct Case {
    const char* what;
    std::string approver, invoice, card, serial, reason;
    int exit;
    const char* code;
  };
  const std::vector<Case> cases = {
      {"a clerk cannot approve", "li", "1", tv_card(2), tv_serial(2), "坏", 4, "APPROVER_NOT_MANAGER"},
      {"no reason", "wang", "1", tv_card(2), tv_serial(2), "", 2, nullptr},
      {"no such invoice", "wang", "7", tv_card(2), tv_serial(2), "坏", 2, "INVOICE_NOT_FOUND"},
      {"the same card", "wang", "1", tv_card(1), tv_serial(1), "坏", 2, "EXCHANGE_SAME_CARD"},
      {"a card sold to another buyer", "wang", "1", tv_card(3), tv_serial(3), "坏", 3, "CARD_ALREADY_SOLD"},
      {"a card never received here", "wang", "1", tv_card(40), tv_serial(40), "坏", 3, "CARD_NOT_RECEIVED"},
      {"the serial of another unit", "wang", "1", tv_card(2), tv_serial(5), "坏", 3, "CARD_SERIAL_MISMATCH"},
      {"another model", "wang", "1", "77020000000000000009", "TCL-SER-9", "坏", 3, "EXCHANGE_MODEL_DIFFERS"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    CHECK(exchange(c.approver, c.invoice, c.card, c.serial, c.reason, out) == c.exit);
    if (c.code) CHECK(out.find(c.code) != std::string::npos);
  }
  // Nothing was written by any of them.
  CHECK(s.local("SELECT COUNT(*) FROM exchanges") == 0);
  CHECK(s.local("SELECT COUNT(*) FROM journal") == journal_before);
  CHECK(s.card_state(tv_card(1)) == "sold");
  CHECK(s.card_state(tv_card(2)) == "in_stock");
  CHECK(s.local("SELECT COUNT(*) FROM outbox WHERE kind = 'exchange'") == 0);

  // And the exchange itself, with the reprinted invoice for the buyer.
  REQUIRE(cli({"exchange", "--user", "li", "--approver", "wang", "--invoice", "00000001", "--card", tv_card(1),
               "--new-card", tv_card(2), "--new-serial", tv_serial(2), "--reason", "开机无图像", "--invoice-out",
               s.dir.file("inv.txt")},
              pins, out) == 0);
  const auto j = nlohmann::json::parse(out);
  CHECK(j["status"] == "exchanged");
  CHECK(j["exchange"] == "X00000001");
  CHECK(j["invoice_no"] == "00000001");
  CHECK(j["old_card"] == tv_card(1));
  CHECK(j["new_card"] == tv_card(2));
  CHECK(j["new_serial"] == tv_serial(2));
  CHECK(j["province"] == "queued");
  CHECK(out.find("341322198001011239") == std::string::npos);  // no ID in the answer
  const std::string paper = read_text(s.dir.file("inv.txt"));
  CHECK(paper.find("换货 EXCHANGED") != std::string::npos);
  CHECK(paper.find(tv_card(2)) != std::string::npos);
  CHECK(s.upload().accepted == 2);  // the other household's sale, then the exchange
  CHECK(s.prov("SELECT COUNT(*) FROM prov_sale_items WHERE card_no = '" + tv_card(2) + "'") == 1);
}
