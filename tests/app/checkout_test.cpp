// Checkout paid (issue 16): the payments are settled against the total inside the sale's
// transaction, stored and journaled with it; when they do not settle it nothing is written.
// And the copies of an invoice printed again, counted.
#include <catch2/catch.hpp>

#include <set>

#include "app/store_access.hpp"
#include "db_reader.hpp"
#include "test_terminal.hpp"
#include "wal_probe.hpp"

using namespace hn;
using namespace hn::app;

namespace {
constexpr const char* kTv1 = "34080100000000010001";

Payment cash(Fen amount) { return {PaymentMethod::Cash, amount, ""}; }
Payment card(Fen amount, const std::string& reference) { return {PaymentMethod::Card, amount, reference}; }
}  // namespace

TEST_CASE("cash tendered above the total gives the change back, stored with the sale", "[app][checkout][payment]") {
  test::DemoTerminal o;
  const auto r = o.t->checkout(o.clerk, test::tv_cart(kTv1), {cash(200000)});
  REQUIRE(r.ok());
  REQUIRE(r->sale);
  CHECK(r->change == 100);
  REQUIRE(r->payments.size() == 1);
  CHECK(r->payments[0].amount == 200000);
  const test::DbReader db(o.db());
  CHECK(db.scalar("SELECT json_extract(body, '$.change') FROM journal WHERE kind = 'sale'") == 100);
}

TEST_CASE("a card and cash split the total, the card keeps its reference and the change comes from the cash",
          "[app][checkout][payment]") {
  test::DemoTerminal o;
  const auto r = o.t->checkout(o.clerk, test::tv_cart(kTv1), {card(50000, "POS-1"), cash(150000)});
  REQUIRE(r.ok());
  REQUIRE(r->sale);
  CHECK(r->change == 100);
  REQUIRE(r->payments.size() == 2);
  CHECK(r->payments[0].reference == "POS-1");
}

TEST_CASE("payments that do not settle the total sell nothing: short is refused, a card above it is bad input",
          "[app][checkout][payment]") {
  test::DemoTerminal o;
  const test::DbReader db(o.db());
  const auto journal = db.count("journal");
  const auto short_paid = o.t->checkout(o.clerk, test::tv_cart(kTv1), {card(100000, "POS-1"), cash(50000)});
  REQUIRE_FALSE(short_paid.ok());
  CHECK(short_paid.problem().code == "PAYMENT_SHORT");
  CHECK(short_paid.problem().kind == ProblemKind::Refused);
  const auto over = o.t->checkout(o.clerk, test::tv_cart(kTv1), {card(250000, "POS-1")});
  REQUIRE_FALSE(over.ok());
  CHECK(over.problem().code == "PAYMENT_INVALID");
  CHECK(over.problem().kind == ProblemKind::BadInput);
  CHECK(o.t->checkout(o.clerk, test::tv_cart(kTv1), {card(199900, "")}).problem().code == "PAYMENT_INVALID");
  CHECK(db.count("sales") == 0);
  CHECK(db.count("journal") == journal);
  CHECK(db.column("SELECT state FROM label_cards WHERE card_no = '34080100000000010001'") ==
        std::vector<std::string>{"in_stock"});
  // The invoice number was not used up.
  const auto sold = o.t->checkout(o.clerk, test::tv_cart(kTv1), {cash(199900)});
  REQUIRE(sold->sale);
  CHECK(sold->invoice->invoice_no == "00000001");
}

TEST_CASE("an invoice printed again is a numbered copy, journaled, and the sale is untouched", "[app][reprint]") {
  test::DemoTerminal o;
  REQUIRE(o.sell_tv(kTv1, "3413220012"));
  const auto original = o.t->invoice(1);
  REQUIRE(original.ok());
  CHECK(original->copy_no == 0);
  const auto first = o.t->reprint(o.clerk, 1);
  REQUIRE(first.ok());
  CHECK(first->copy_no == 1);
  const auto second = o.t->reprint(o.manager, 1);
  REQUIRE(second.ok());
  CHECK(second->copy_no == 2);
  CHECK(second->total == original->total);
  CHECK(o.t->invoice(1)->copy_no == 0);
  CHECK(o.t->reprint(o.clerk, 42).problem().code == "INVOICE_NOT_FOUND");
  const test::DbReader db(o.db());
  CHECK(db.scalar("SELECT COUNT(*) FROM journal WHERE kind = 'reprint'") == 2);
}

TEST_CASE("a sale's commit writes the B-trees the schema says a sale needs, and no other", "[app][checkout][pages]") {
  // Issue 17: what a sale writes is the disk's floor under the checkout. Each of these is
  // read by something a user needs (tests/bench/README.md); a new index or table written at
  // every sale shows here first.
  test::DemoTerminal o;
  REQUIRE(o.t->checkout(o.clerk, test::tv_cart(kTv1), {cash(199900)}).ok());  // the first sale of the file
  sqlite3* db = store_of(*o.t).db().handle();
  test::empty_wal(db);
  const auto r = o.t->checkout(o.clerk, test::tv_cart("34080100000000010002", "3413220099"), {cash(199900)});
  REQUIRE(r.ok());
  REQUIRE(r->sale);
  std::set<std::string> written;
  for (const auto& [name, pages] : test::wal_pages_by_btree(db, o.db()))
    if (name.rfind("page 1:", 0) != 0) written.insert(name);  // page 1 changes when the file grows
  const std::set<std::string> needed = {
      "sales",                          // the sale
      "sqlite_autoindex_sales_1",       // invoice_no: unique, reprint and returns by number
      "sales_by_household",             // the household limit (POLICY R5)
      "sales_by_date",                  // the daily report and the closing
      "sale_items",                     // its lines
      "sqlite_autoindex_sale_items_1",  // (sale_id, line_no): a sale's lines, the household's history
      "label_cards",                    // the card sold, naming its sale
      "sale_payments",                  // how it was paid
      "outbox",                         // the upload owed to the province
      "sqlite_autoindex_outbox_1",      // (kind, ref_id): a sale's upload state
      "outbox_by_state",                // what is pending, for the uploader
      "journal",                        // the hash-chained entry
  };
  CHECK(written == needed);
}
