// The daily closing (Z, pos/app/audit.cpp and day_close.cpp): the day's figures signed once,
// with the manager's cash count against the cash the sales took; nothing held survives it
// unless the manager drops it (issue 16).
#include <catch2/catch.hpp>

#include "app/day_close.hpp"
#include "db_reader.hpp"
#include "test_terminal.hpp"

using namespace hn;
using namespace hn::app;

namespace {
constexpr const char* kTv1 = "34080100000000010001";
constexpr const char* kTv2 = "34080100000000010002";
const Date kToday{2026, 11, 27};  // test::Moment's date
}  // namespace

TEST_CASE("a day closes once, signed, with the cash counted against the cash its sales took", "[app][closing]") {
  test::DemoTerminal o;
  REQUIRE(o.sell_tv(kTv1, "3413220012"));
  const auto preview = preview_closing(*o.t, kToday);
  CHECK_FALSE(preview.refusal);
  CHECK(preview.figures["sales_count"] == 1);
  CHECK(o.t->close_day(o.clerk, kToday).problem().kind == ProblemKind::NotPermitted);
  const auto c = o.t->close_day(o.manager, kToday, Fen{200000});
  REQUIRE(c.ok());
  CHECK(c->date == "2026-11-27");
  CHECK_FALSE(c->signature.empty());
  CHECK(c->figures["sales_count"] == 1);
  CHECK(c->figures["sales_total"] == 199900);
  CHECK(c->figures["cash_net"] == 199900);  // paid exactly in cash: tendered, no change
  CHECK(c->figures["cash_counted"] == 200000);
  CHECK(c->figures["cash_difference"] == 100);
  REQUIRE(o.t->closings().size() == 1);
  CHECK(o.t->closings()[0].signature == c->signature);
  const auto again = o.t->close_day(o.manager, kToday);
  REQUIRE_FALSE(again.ok());
  CHECK(again.problem().code == "DAY_ALREADY_CLOSED");
  CHECK(preview_closing(*o.t, kToday).refusal->code == "DAY_ALREADY_CLOSED");
  const test::DbReader db(o.db());
  CHECK(db.scalar("SELECT COUNT(*) FROM journal WHERE kind = 'closing'") == 1);
}

TEST_CASE("a day still to come, or before the last closing, is not closed", "[app][closing]") {
  test::DemoTerminal o;
  CHECK(o.t->close_day(o.manager, kToday.plus_days(1)).problem().code == "DATE_IN_FUTURE");
  REQUIRE(o.t->close_day(o.manager, kToday).ok());
  CHECK(o.t->close_day(o.manager, kToday.plus_days(-1)).problem().code == "DAY_BEFORE_LAST_CLOSING");
  CHECK(o.t->closings().size() == 1);
}

TEST_CASE("a closing covers the journal since the one before and carries the grand total on", "[app][closing]") {
  test::DemoTerminal o;
  REQUIRE(o.sell_tv(kTv1, "3413220012"));
  const auto first = o.t->close_day(o.manager, kToday.plus_days(-1));  // the sale is covered by it
  REQUIRE(first.ok());
  REQUIRE(o.sell_tv(kTv2, "3413220047"));
  const auto second = o.t->close_day(o.manager, kToday);
  REQUIRE(second.ok());
  CHECK(second->figures["sales_count"] == 1);
  CHECK(second->figures["first_seq"].get<std::int64_t>() == first->figures["last_seq"].get<std::int64_t>() + 1);
  CHECK(second->figures["grand_total"].get<std::int64_t>() ==
        first->figures["grand_total"].get<std::int64_t>() + 199900);
}

TEST_CASE("sales still held refuse the closing, naming them, unless the manager drops them with it",
          "[app][closing][hold]") {
  test::DemoTerminal o;
  const auto h = o.t->hold_sale(o.clerk, test::tv_cart(kTv1), 199900);
  REQUIRE(h.ok());
  const auto refused = o.t->close_day(o.manager, kToday);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.problem().code == "HELD_SALES_OPEN");
  CHECK(refused.problem().message_en.find("#" + std::to_string(h->id)) != std::string::npos);
  CHECK(o.t->closings().empty());
  REQUIRE(o.t->close_day(o.manager, kToday, std::nullopt, true).ok());
  CHECK(o.t->held_sales().empty());
  const test::DbReader db(o.db());
  CHECK(db.scalar("SELECT COUNT(*) FROM journal WHERE kind = 'hold_dropped' AND "
                  "json_extract(body, '$.reason') = 'closing'") == 1);
}
