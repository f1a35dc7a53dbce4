#include <catch2/catch.hpp>

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
