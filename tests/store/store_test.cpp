#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "store/store.hpp"
#include "temp_dir.hpp"

using namespace hn;
using namespace hn::store;

namespace {
CatalogModel tv_model() {
  CatalogModel m;
  m.model_code = "HISENSE-TLM26V68";
  m.category = Category::Tv;
  m.brand = "海信";
  m.name = "液晶彩电";
  m.spec = "26英寸";
  m.max_price = 199900;
  m.valid_from = Date{2008, 12, 1};
  return m;
}

SaleRecord tv_sale(const std::string& card, std::int64_t invoice, const std::string& household,
                   std::int64_t user) {
  SaleRecord s;
  s.uuid = "uuid-" + card;
  s.invoice_no = invoice;
  s.sold_at = "2026-11-27T10:00:00";
  s.sale_date = Date{2026, 11, 27};
  s.user_id = user;
  s.buyer_name = "张三";
  s.buyer_id = "341322198001011239";
  s.household = household;
  s.buyer_county = "341322";
  s.policy_phase = "2008-12";
  s.total = 199900;
  s.subsidy = 25987;
  SaleItemRecord it;
  it.line_no = 1;
  it.card_no = card;
  it.serial_no = "S-" + card;
  it.model_code = "HISENSE-TLM26V68";
  it.category = Category::Tv;
  it.brand = "海信";
  it.name = "液晶彩电";
  it.spec = "26英寸";
  it.price = 199900;
  it.subsidy = 25987;
  s.items.push_back(it);
  return s;
}

struct Fixture {
  test::TempDir dir;
  Store store = Store::create(dir.file("pos.db"));
  std::int64_t user = store.users().add("wang", "王", Role::Manager, "1234");
  Fixture() {
    store.catalog().upsert(tv_model());
    std::vector<CardReceiptRow> rows;
    for (int i = 1; i <= 3; ++i)
      rows.push_back({i + 1, "C" + std::to_string(i), "S-C" + std::to_string(i), "HISENSE-TLM26V68"});
    store.cards().add_goods_receipt(user, "test", rows, "OUT1");
  }
};
}  // namespace

TEST_CASE("a card reads as in stock, sold, or not received by this outlet", "[store][cards]") {
  Fixture f;
  CHECK(f.store.cards().find("C1", "OUT1")->status == CardStatus::InStock);
  CHECK(f.store.cards().find("C1", "OTHER")->status == CardStatus::NotReceived);  // POLICY R8
  CHECK(f.store.cards().find("NOPE", "OUT1")->status == CardStatus::NotReceived);
  auto sale = tv_sale("C1", 1, "H1", f.user);
  f.store.sales().insert(sale);
  CHECK(f.store.cards().find("C1", "OUT1")->status == CardStatus::Sold);
}

TEST_CASE("a card sold once is never sold again, even with its state put back to in stock", "[store][cards]") {
  // Schema 12: sale_items no longer holds a unique index on the card; the card names its sale
  // for good, and the sale's update of the card refuses one that ever named a sale.
  Fixture f;
  auto first = tv_sale("C1", 1, "H1", f.user);
  f.store.sales().insert(first);
  f.store.db().exec("UPDATE label_cards SET state = 'in_stock' WHERE card_no = 'C1'");
  auto second = tv_sale("C1", 2, "H2", f.user);
  CHECK_THROWS_AS(f.store.sales().insert(second), DbError);
  const auto found = f.store.sales().find_by_card("C1");
  REQUIRE(found);
  CHECK(found->invoice_no == 1);
}

TEST_CASE("a stored sale reads back with its personal data decrypted", "[store][sales]") {
  Fixture f;
  auto sale = tv_sale("C1", 7, "3413220012", f.user);
  f.store.sales().insert(sale);
  const auto back = f.store.sales().find_by_invoice(7);
  REQUIRE(back);
  CHECK(back->buyer_id == "341322198001011239");
  CHECK(back->household == "3413220012");
  REQUIRE(back->items.size() == 1);
  CHECK(back->items[0].card_no == "C1");
  CHECK(back->items[0].subsidy == 25987);
  CHECK(f.store.sales().upload_state(back->id) == "pending");
}

TEST_CASE("selling a card that is no longer in stock throws and the caller's transaction rolls back",
          "[store][sales]") {
  Fixture f;
  auto first = tv_sale("C1", 1, "H1", f.user);
  f.store.sales().insert(first);
  auto second = tv_sale("C2", 2, "H2", f.user);
  second.uuid = "other";
  second.items.push_back(second.items[0]);
  second.items[1].line_no = 2;
  second.items[1].card_no = "C1";  // already sold
  {
    Transaction tx(f.store.db());
    CHECK_THROWS(f.store.sales().insert(second));
  }
  CHECK_FALSE(f.store.sales().find_by_invoice(2));
  CHECK(f.store.cards().find("C2", "OUT1")->status == CardStatus::InStock);
  CHECK(f.store.reports().pending_uploads() == 1);
}

TEST_CASE("household history counts sold units per category and forgets returned ones",
          "[store][household]") {
  Fixture f;
  auto sale = tv_sale("C1", 1, "H1", f.user);
  f.store.sales().insert(sale);
  CHECK(f.store.households().history("H1").held.at(Category::Tv) == 1);
  CHECK(f.store.households().history("H2").held.empty());
  ReturnRecord r;
  r.sale_id = sale.id;
  r.item_id = sale.items[0].id;
  r.card_no = "C1";
  r.returned_at = "2026-11-27T11:00:00";
  r.return_date = Date{2026, 11, 27};
  r.user_id = f.user;
  r.approver_id = f.user;
  r.reason = "test";
  r.price = 199900;
  r.subsidy = 25987;
  f.store.returns().insert(r);
  CHECK(f.store.households().history("H1").held.count(Category::Tv) == 0);  // POLICY R6
  CHECK(f.store.cards().find("C1", "OUT1")->status == CardStatus::Returned);
}

TEST_CASE("the next invoice number follows the last one and can start from a set number",
          "[store][sales]") {
  Fixture f;
  f.store.settings().set("invoice.first_number", "500");
  CHECK(f.store.sales().next_invoice_no() == 500);
  auto sale = tv_sale("C1", 500, "H1", f.user);
  f.store.sales().insert(sale);
  CHECK(f.store.sales().next_invoice_no() == 501);
}

TEST_CASE("daily figures sum the day's sales per category and its returns", "[store][report]") {
  Fixture f;
  auto a = tv_sale("C1", 1, "H1", f.user);
  auto b = tv_sale("C2", 2, "H2", f.user);
  b.uuid = "b";
  f.store.sales().insert(a);
  f.store.sales().insert(b);
  const auto fig = f.store.reports().daily_figures(Date{2026, 11, 27});
  CHECK(fig.sales_count == 2);
  CHECK(fig.by_category.at(Category::Tv).count == 2);
  CHECK(fig.by_category.at(Category::Tv).total == 399800);
  CHECK(fig.by_category.at(Category::Tv).subsidy == 51974);
  CHECK(fig.pending_upload == 2);
  CHECK(f.store.reports().daily_figures(Date{2026, 11, 28}).sales_count == 0);
}

TEST_CASE("five wrong PINs lock a user until unlocked", "[store][users]") {
  Fixture f;
  CHECK(f.store.users().pin_matches(f.user, "1234"));
  CHECK_FALSE(f.store.users().pin_matches(f.user, "0000"));
  for (int i = 1; i <= 5; ++i) CHECK(f.store.users().reserve_pin_attempt(f.user) == i);
  // The sixth attempt gets no number: nothing is compared any more.
  CHECK_FALSE(f.store.users().reserve_pin_attempt(f.user));
  f.store.users().lock(f.user);
  CHECK(f.store.users().find("wang")->locked);
  CHECK_FALSE(f.store.users().reserve_pin_attempt(f.user));
  f.store.users().unlock(f.user);
  CHECK(f.store.users().reserve_pin_attempt(f.user) == 1);
  f.store.users().unlock(f.user);
  CHECK_FALSE(f.store.users().find("wang")->locked);
  CHECK(f.store.users().find("wang")->failed_pins == 0);
}

TEST_CASE("opening a database without its key file is a setup error", "[store]") {
  test::TempDir dir;
  { Store::create(dir.file("pos.db")); }
  std::remove(Store::key_path_for(dir.file("pos.db")).c_str());
  CHECK_THROWS_AS(Store::open(dir.file("pos.db")), SetupError);
  CHECK_THROWS_AS(Store::create(dir.file("pos.db")), SetupError);
}

TEST_CASE("closings read back as signed, oldest first, and one by its id", "[store][closings]") {
  Fixture f;
  const auto first = f.store.closings().insert({"2026-11-27", R"({"day":1})", "sig1"}, "2026-11-27T20:00:00");
  const auto second = f.store.closings().insert({"2026-11-28", R"({"day":2})", "sig2"}, "2026-11-28T20:00:00");
  const auto all = f.store.closings().all();
  REQUIRE(all.size() == 2);
  CHECK(all[0].date == "2026-11-27");
  CHECK(all[1].body == R"({"day":2})");
  const auto found = f.store.closings().find(first);
  REQUIRE(found);
  CHECK(found->signature == "sig1");
  CHECK(f.store.closings().find(second)->date == "2026-11-28");
  CHECK_FALSE(f.store.closings().find(second + 1));
  // One closing a business day: the second of a day is refused by the table.
  CHECK_THROWS_AS(f.store.closings().insert({"2026-11-28", "{}", "sig3"}, "2026-11-28T21:00:00"), DbError);
}

TEST_CASE("the outbox counts what waits and what was rejected, and retry_pending_now makes all that waits due",
          "[store][outbox]") {
  Fixture f;
  for (std::int64_t ref = 1; ref <= 3; ++ref) f.store.outbox().enqueue("sale", ref, "2026-11-27T10:00:00");
  const auto rows = f.store.outbox().due(0, 10);
  REQUIRE(rows.size() == 3);
  f.store.outbox().answered(rows[0].id, "rejected", "CARD_USED", "used", "2026-11-27T10:01:00");
  f.store.outbox().failed(rows[1].id, "timeout", 5000);
  f.store.outbox().failed(rows[2].id, "timeout", 5000);
  CHECK(f.store.outbox().pending_count() == 2);
  CHECK(f.store.outbox().rejected_count() == 1);
  CHECK(f.store.outbox().due(1000, 10).empty());
  f.store.outbox().retry_pending_now();
  CHECK(f.store.outbox().due(0, 10).size() == 2);
  CHECK(f.store.outbox().rejected_count() == 1);
}

TEST_CASE("a user deactivated or given another role reads back so", "[store][users]") {
  Fixture f;
  const auto clerk = f.store.users().add("li", "李", Role::Clerk, "5678");
  f.store.users().set_role(clerk, Role::Auditor);
  CHECK(f.store.users().find("li")->role == Role::Auditor);
  f.store.users().deactivate(clerk);
  CHECK_FALSE(f.store.users().find("li")->active);
  CHECK(f.store.users().find("wang")->active);
}

TEST_CASE("a sale is linked to its journal entry, and the sales of a period come in invoice order",
          "[store][sales]") {
  Fixture f;
  CHECK(f.store.sales().first_id() == 0);
  auto late = tv_sale("C1", 9, "3413220012", f.user);
  f.store.sales().insert(late);
  auto early = tv_sale("C2", 8, "3413220013", f.user);
  f.store.sales().insert(early);
  CHECK(f.store.sales().journal_hash(early.id).empty());
  // As checkout writes a sale: its journal entry first, then the row pointing at it.
  const auto entry = f.store.journal("2026-11-27T10:00:00", "wang", "sale", {{"invoice_no", 10}});
  auto next_day = tv_sale("C3", 10, "3413220014", f.user);
  next_day.sale_date = Date{2026, 11, 28};
  f.store.sales().insert(next_day, f.store.sales().buyer_hashes(next_day), entry.seq);
  CHECK(f.store.sales().first_id() == late.id);
  CHECK(f.store.sales().ids_between("2026-11-27", "2026-11-27") == std::vector<std::int64_t>{early.id, late.id});
  CHECK(f.store.sales().ids_between("0000-00-00", "9999-99-99").size() == 3);
  CHECK(f.store.sales().journal_hash(next_day.id) == entry.hash);
  CHECK(f.store.sales().journal_hash(late.id).empty());
}
