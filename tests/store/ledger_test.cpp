// The sales rows against the journal (store/sale_ledger.hpp): what the start-up check, the
// closing, the backup and the auditor's export compare.
#include <catch2/catch.hpp>

#include "store/sale_ledger.hpp"
#include "store/store.hpp"
#include "temp_dir.hpp"

using namespace hn;
using namespace hn::store;
using nlohmann::json;

namespace {
struct Shop {
  test::TempDir dir;
  Store store = Store::create(dir.file("pos.db"));
  std::int64_t user = store.users().add("wang", "王", Role::Manager, "1234");

  Shop() {
    CatalogModel m;
    m.model_code = "TV-1";
    m.category = Category::Tv;
    m.brand = "海信";
    m.name = "彩电";
    m.spec = "26";
    m.max_price = 199900;
    m.valid_from = Date{2008, 12, 1};
    store.catalog().upsert(m);
    std::vector<CardReceiptRow> rows;
    for (int i = 1; i <= 4; ++i) rows.push_back({i + 1, "C" + std::to_string(i), "S" + std::to_string(i), "TV-1"});
    store.cards().add_goods_receipt(user, "test", rows, "OUT1");
  }

  // A sale as checkout writes it: the rows, then its journal entry, then the link. `paid`: with
  // its payments (issue 16: 500.00 by card, 1500.00 cash, 1.00 change), as checkout writes them
  // since; without, as sales were journaled before payments were recorded.
  void sell(const std::string& card, std::int64_t invoice, bool paid = false) {
    SaleRecord s;
    s.uuid = "uuid-" + card;
    s.invoice_no = invoice;
    s.sold_at = "2026-11-27T10:00:00";
    s.sale_date = Date{2026, 11, 27};
    s.user_id = user;
    s.buyer_name = "张三";
    s.buyer_id = "341322198001011239";
    s.household = "H-" + card;
    s.buyer_county = "341322";
    s.policy_phase = "2008-12";
    s.total = 199900;
    s.subsidy = 25987;
    SaleItemRecord it;
    it.line_no = 1;
    it.card_no = card;
    it.serial_no = "S" + card.substr(1);
    it.model_code = "TV-1";
    it.category = Category::Tv;
    it.price = 199900;
    it.subsidy = 25987;
    s.items.push_back(it);
    Transaction tx(store.db());
    store.sales().insert(s);
    if (paid)
      store.sales().insert_payments(s.id, {{PaymentMethod::Card, 50000, "POS-1"}, {PaymentMethod::Cash, 150000, ""}}, 100);
    char no[16];
    std::snprintf(no, sizeof no, "%08lld", static_cast<long long>(invoice));
    json body = {{"sale_uuid", s.uuid},
                                  {"invoice_no", no},
                                  {"buyer_id_hash", store.keys().lookup_hash("id", s.buyer_id)},
                                  {"household_hash", store.households().hash(s.household)},
                                  {"policy_phase", s.policy_phase},
                                  {"total", s.total},
                                  {"subsidy", s.subsidy},
                                  {"items", json::array({{{"card", card},
                                                          {"serial", it.serial_no},
                                                          {"model", "TV-1"},
                                                          {"category", "tv"},
                                                          {"price", it.price},
                                                          {"subsidy", it.subsidy}}})}};
    if (paid) {
      body["payments"] = json::parse(R"([{"method":"card","amount":50000,"reference":"POS-1"},{"method":"cash","amount":150000}])");
      body["change"] = 100;
    }
    const auto e = store.journal("2026-11-27T10:00:00", "wang", "sale", body);
    store.db().prepare("UPDATE sales SET journal_seq = ? WHERE id = ?").bind(1, e.seq).bind(2, s.id).run();
    tx.commit();
  }
  std::int64_t last_seq() {
    auto st = store.db().prepare("SELECT MAX(seq) FROM journal");
    st.step();
    return st.int64(0);
  }
};
}  // namespace

TEST_CASE("sales rows as checkout wrote them agree with the journal", "[store][ledger]") {
  Shop shop;
  shop.sell("C1", 1);
  shop.sell("C2", 2);
  CHECK_FALSE(check_sales_against_journal(shop.store.db(), 1));
}

TEST_CASE("a changed total, price or serial is found and names the invoice", "[store][ledger]") {
  Shop shop;
  shop.sell("C1", 1);
  shop.sell("C2", 2);
  std::string sql;
  SECTION("total") { sql = "UPDATE sales SET total = 100 WHERE invoice_no = 2"; }
  SECTION("price") { sql = "UPDATE sale_items SET price = 100 WHERE card_no = 'C2'"; }
  SECTION("serial") { sql = "UPDATE sale_items SET serial_no = 'X' WHERE card_no = 'C2'"; }
  SECTION("household hash") { sql = "UPDATE sales SET household_hash = 'ab' WHERE invoice_no = 2"; }
  SECTION("link") { sql = "UPDATE sales SET journal_seq = 1 WHERE invoice_no = 2"; }
  SECTION("uuid") { sql = "UPDATE sales SET uuid = 'another' WHERE invoice_no = 2"; }
  shop.store.db().exec(sql);
  const auto m = check_sales_against_journal(shop.store.db(), 1);
  REQUIRE(m);
  CHECK(m->invoice_no == "00000002");
  CHECK(m->what_en.find("invoice 00000002") != std::string::npos);
}

TEST_CASE("a changed uuid or invoice number is named as such", "[store][ledger]") {
  // The audit finds a sale by the invoice number its journal entry recorded (schema 12: the
  // uuid has no index) and compares the uuid; a renumbered sale is still found by its uuid.
  Shop shop;
  shop.sell("C1", 1);
  shop.sell("C2", 2);
  std::string sql, named_en, named_zh;
  SECTION("uuid") {
    sql = "UPDATE sales SET uuid = 'another' WHERE invoice_no = 2";
    named_en = "sale uuid";
    named_zh = "销售编号";
  }
  SECTION("invoice number") {
    sql = "UPDATE sales SET invoice_no = 9 WHERE invoice_no = 2";
    named_en = "invoice number";
    named_zh = "发票号";
  }
  shop.store.db().exec(sql);
  const auto m = check_sales_against_journal(shop.store.db(), 1);
  REQUIRE(m);
  CHECK(m->invoice_no == "00000002");
  CHECK(m->what_en.find(named_en) != std::string::npos);
  CHECK(m->what_zh.find(named_zh) != std::string::npos);
}

TEST_CASE("a deleted sale and a sale the journal never recorded are both found", "[store][ledger]") {
  Shop shop;
  shop.sell("C1", 1);
  shop.sell("C2", 2);
  SECTION("deleted") {
    // The sold card names its sale (schema 12): whoever deletes the sale clears that too.
    shop.store.db().exec("DELETE FROM outbox; DELETE FROM sale_items WHERE card_no = 'C1'; "
                         "UPDATE label_cards SET sale_id = NULL WHERE card_no = 'C1'; DELETE FROM sales WHERE invoice_no = 1");
    const auto m = check_sales_against_journal(shop.store.db(), 1);
    REQUIRE(m);
    CHECK(m->invoice_no == "00000001");
  }
  SECTION("added") {
    shop.store.db().exec("UPDATE sales SET journal_seq = NULL WHERE invoice_no = 1");
    CHECK(check_sales_against_journal(shop.store.db(), 1));
  }
}

TEST_CASE("the start-up window sees only recent sales, the full check every one", "[store][ledger]") {
  Shop shop;
  shop.sell("C1", 1);
  const std::int64_t after_first = shop.last_seq() + 1;
  shop.sell("C2", 2);
  shop.store.db().exec("UPDATE sales SET total = 100 WHERE invoice_no = 1");
  CHECK_FALSE(check_sales_against_journal(shop.store.db(), after_first));  // outside the window
  const auto full = check_sales_against_journal(shop.store.db(), 1);
  REQUIRE(full);
  CHECK(full->invoice_no == "00000001");
}

TEST_CASE("the journal's exchanges and returns are applied before comparing", "[store][ledger]") {
  SaleLedger ledger;
  auto entry = [](std::int64_t seq, const std::string& kind, const json& body) {
    JournalEntry e;
    e.seq = seq;
    e.kind = kind;
    e.body = body.dump();
    return e;
  };
  ledger.apply(entry(1, "sale", {{"sale_uuid", "u1"},
                                 {"invoice_no", "00000001"},
                                 {"total", 399800},
                                 {"subsidy", 51974},
                                 {"items", json::array({{{"card", "C1"}, {"serial", "S1"}, {"model", "M"}, {"price", 199900}, {"subsidy", 25987}},
                                                        {{"card", "C2"}, {"serial", "S2"}, {"model", "M"}, {"price", 199900}, {"subsidy", 25987}}})}}));
  ledger.apply(entry(2, "exchange", {{"sale_uuid", "u1"}, {"old_card", "C1"}, {"new_card", "C9"}, {"new_serial", "S9"}}));
  ledger.apply(entry(3, "return", {{"sale_uuid", "u1"}, {"card", "C2"}}));
  ledger.apply(entry(4, "return", {{"sale_uuid", "other"}, {"card", "C1"}}));  // not this sale
  const LedgerSale* s = ledger.find("u1");
  REQUIRE(s);
  json now = {{"invoice_no", "00000001"}, {"total", 399800}, {"subsidy", 51974},
              {"items", json::array({{{"card", "C9"}, {"serial", "S9"}, {"model", "M"}, {"price", 199900}, {"subsidy", 25987}, {"returned", false}},
                                     {{"card", "C2"}, {"serial", "S2"}, {"model", "M"}, {"price", 199900}, {"subsidy", 25987}, {"returned", true}}})}};
  CHECK_FALSE(compare_sale(*s, now));
  json before = now;
  before["items"][0]["card"] = "C1";  // the exchange undone behind the journal's back
  CHECK(compare_sale(*s, before));
  json unreturned = now;
  unreturned["items"][1]["returned"] = false;
  CHECK(compare_sale(*s, unreturned));
}

TEST_CASE("payment rows as checkout wrote them agree with the journal, and an edited one names its invoice",
          "[store][ledger][payment]") {
  Shop shop;
  shop.sell("C1", 1, true);
  shop.sell("C2", 2, true);
  REQUIRE_FALSE(check_sales_against_journal(shop.store.db(), 1));
  shop.store.db().exec("DROP TRIGGER sale_payments_no_update; DROP TRIGGER sale_payments_no_delete");
  std::string sql, what;
  const std::string second = "sale_id = (SELECT id FROM sales WHERE invoice_no = 2)";
  SECTION("amount") { sql = "UPDATE sale_payments SET amount = 200000 WHERE seq = 2 AND " + second; what = "payment 2"; }
  SECTION("method") { sql = "UPDATE sale_payments SET method = 'mobile' WHERE seq = 1 AND " + second; what = "payment 1"; }
  SECTION("reference") { sql = "UPDATE sale_payments SET reference = 'X' WHERE seq = 1 AND " + second; what = "payment 1"; }
  SECTION("change") { sql = "UPDATE sale_payments SET change = 0 WHERE " + second; what = "change"; }
  SECTION("deleted") { sql = "DELETE FROM sale_payments WHERE seq = 2 AND " + second; what = "number of payments"; }
  shop.store.db().exec(sql);
  const auto m = check_sales_against_journal(shop.store.db(), 1);
  REQUIRE(m);
  CHECK(m->invoice_no == "00000002");
  CHECK(m->what_en.find(what) != std::string::npos);
}

TEST_CASE("a sale journaled before payments were recorded has none, and a payment row added to it is found",
          "[store][ledger][payment]") {
  Shop shop;
  shop.sell("C1", 1);
  REQUIRE_FALSE(check_sales_against_journal(shop.store.db(), 1));
  shop.store.db().exec("INSERT INTO sale_payments(sale_id, seq, method, amount) SELECT id, 1, 'cash', 199900 FROM sales");
  const auto m = check_sales_against_journal(shop.store.db(), 1);
  REQUIRE(m);
  CHECK(m->what_en.find("number of payments") != std::string::npos);
}
