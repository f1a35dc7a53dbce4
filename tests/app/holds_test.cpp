// Held sales (挂单, pos/app/holds.cpp, issue 16): a held cart reserves its cards (POLICY S1)
// until it is recalled and sold, a manager drops it, or it expires after sale.hold_minutes.
#include <catch2/catch.hpp>

#include "db_reader.hpp"
#include "test_terminal.hpp"

using namespace hn;
using namespace hn::app;

namespace {
constexpr const char* kTv1 = "34080100000000010001";
constexpr const char* kTv2 = "34080100000000010002";

std::int64_t entries(const test::DbReader& db, const std::string& kind) {
  return db.scalar("SELECT COUNT(*) FROM journal WHERE kind = '" + kind + "'");
}

bool refused_as_held(const Result<CheckoutResult>& r) {
  if (!r.ok() || r->sale) return false;
  for (const auto& f : r->check.findings)
    if (f.code == FindingCode::CardHeld) return true;
  return false;
}
}  // namespace

TEST_CASE("a held cart reserves its cards to itself, with the buyer's ID kept sealed and shown masked",
          "[app][hold]") {
  test::DemoTerminal o;
  const test::DbReader db(o.db());
  const auto h = o.t->hold_sale(o.clerk, test::tv_cart(kTv1), 199900);
  REQUIRE(h.ok());
  CHECK(h->state == "held");
  CHECK(h->buyer_id_masked == "3413**********1239");
  CHECK(h->total == 199900);
  CHECK(entries(db, "hold") == 1);
  CHECK(db.scalar("SELECT COUNT(*) FROM journal WHERE kind = 'hold' AND body LIKE '%341322198001011239%'") == 0);
  // Another buyer's sale of the held card is refused; the other cards still sell.
  CHECK(refused_as_held(o.t->checkout(o.clerk, test::tv_cart(kTv1, "3413220047"))));
  CHECK(o.t->preview(test::tv_cart(kTv1, "3413220047")).refused());
  CHECK(o.sell_tv(kTv2, "3413220047"));
  const auto open = o.t->held_sales();
  REQUIRE(open.size() == 1);
  CHECK(open[0].id == h->id);
}

TEST_CASE("a held sale recalled and sold closes as sold and cannot be recalled again", "[app][hold]") {
  test::DemoTerminal o;
  const auto h = o.t->hold_sale(o.clerk, test::tv_cart(kTv1), 199900);
  REQUIRE(h.ok());
  const auto recalled = o.t->recall_hold(o.clerk, h->id);
  REQUIRE(recalled.ok());
  CHECK(recalled->household == "3413220012");  // unsealed for the counter
  Cart cart = test::tv_cart(kTv1);
  cart.held_id = h->id;
  CHECK_FALSE(o.t->preview(cart).refused());  // its own card is not held against it
  const auto sold = o.t->checkout(o.clerk, cart);
  REQUIRE(sold.ok());
  REQUIRE(sold->sale);
  CHECK(o.t->held_sales().empty());
  const auto again = o.t->recall_hold(o.clerk, h->id);
  REQUIRE_FALSE(again.ok());
  CHECK(again.problem().code == "HOLD_CLOSED");
  const test::DbReader db(o.db());
  CHECK(entries(db, "hold_recalled") == 1);
  CHECK(entries(db, "hold_sold") == 1);
}

TEST_CASE("only a manager drops a held sale, with a reason, and its cards sell again", "[app][hold]") {
  test::DemoTerminal o;
  const auto h = o.t->hold_sale(o.clerk, test::tv_cart(kTv1), 199900);
  REQUIRE(h.ok());
  CHECK(o.t->drop_hold(o.clerk, h->id, "买家不来了").problem().kind == ProblemKind::NotPermitted);
  CHECK(o.t->drop_hold(o.manager, h->id, "  ").problem().code == "REASON_REQUIRED");
  CHECK(o.t->drop_hold(o.manager, 99, "买家不来了").problem().code == "HOLD_UNKNOWN");
  const auto dropped = o.t->drop_hold(o.manager, h->id, "买家不来了");
  REQUIRE(dropped.ok());
  CHECK(dropped->state == "dropped");
  CHECK(o.t->drop_hold(o.manager, h->id, "again").problem().code == "HOLD_CLOSED");
  CHECK(o.sell_tv(kTv1, "3413220047"));
  const test::DbReader db(o.db());
  CHECK(db.scalar("SELECT COUNT(*) FROM journal WHERE kind = 'hold_dropped' AND "
                  "json_extract(body, '$.reason') = '买家不来了'") == 1);
}

TEST_CASE("a held sale expires after sale.hold_minutes, journaled as the system's doing", "[app][hold]") {
  test::DemoTerminal o;
  CHECK(o.t->hold_minutes() == kHoldMinutesDefault);
  REQUIRE(o.t->change_setting(o.manager, "sale.hold_minutes", "30").ok());
  CHECK(o.t->hold_minutes() == 30);
  const auto h = o.t->hold_sale(o.clerk, test::tv_cart(kTv1), 199900);
  REQUIRE(h.ok());
  o.clock.advance(29 * 60);
  CHECK(o.t->held_sales().size() == 1);
  CHECK_FALSE(o.sell_tv(kTv1, "3413220047"));
  o.clock.advance(2 * 60);
  CHECK(o.t->held_sales().empty());
  CHECK(o.sell_tv(kTv1, "3413220047"));
  const test::DbReader db(o.db());
  CHECK(db.scalar("SELECT COUNT(*) FROM journal WHERE kind = 'hold_expired' AND user_login = 'system'") == 1);
}

TEST_CASE("an empty cart is not held", "[app][hold]") {
  test::DemoTerminal o;
  Cart empty = test::tv_cart(kTv1);
  empty.items.clear();
  const auto r = o.t->hold_sale(o.clerk, empty, 0);
  REQUIRE_FALSE(r.ok());
  CHECK(r.problem().code == "HOLD_EMPTY");
  CHECK(o.t->held_sales().empty());
}
