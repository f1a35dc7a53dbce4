// Held sales (挂单, issue 16) seen from the command line: a held card is refused to another
// sale (CARD_HELD), `hold list` and `hold drop`, expiry after sale.hold_minutes, and the
// closing that refuses while something is held (HELD_SALES_OPEN) unless --drop-held. The holds
// are made through the use cases (as the counter makes them), with a clock set where needed.
#include <catch2/catch.hpp>

#include <ctime>

#include <nlohmann/json.hpp>

#include "app/terminal.hpp"
#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;
using nlohmann::json;

namespace {

// Holds `cards` for 张三 at `seconds_ago` before now, as clerk li at the counter; the number.
std::int64_t hold_at(const DemoOutlet& o, const std::vector<std::string>& cards, std::int64_t seconds_ago = 0) {
  using namespace hn;
  app::FixedClock clock(static_cast<std::int64_t>(std::time(nullptr)) - seconds_ago);
  auto t = app::Terminal::open(o.db(), clock);
  const auto li = t->authenticate(d::kClerk, d::kClerkPin);
  REQUIRE(li.ok());
  Cart cart;
  cart.buyer.name = "张三";
  cart.buyer.id_text = d::kIdZhang;
  cart.buyer.household = d::kHouseholdA;
  for (const auto& c : cards) cart.items.push_back({c, "", 0});
  const auto h = t->hold_sale(li.value(), cart, 199900 * static_cast<Fen>(cards.size()));
  REQUIRE(h.ok());
  return h->id;
}

SaleArgs tv2_to_li() { return sale_to("李四", d::kIdLi, d::kHouseholdB).item(std::string(d::kTv2) + "=1999.00"); }

std::int64_t journal_count(const DemoOutlet& o, const std::string& kind) {
  return o.reader().scalar("SELECT COUNT(*) FROM journal WHERE kind = '" + kind + "'");
}
}  // namespace

TEST_CASE("a card held for one buyer is refused to another sale with CARD_HELD naming the held sale", "[cli][hold]") {
  DemoOutlet o;
  const auto n = hold_at(o, {d::kTv2});
  const auto r = o.sell(tv2_to_li());
  CHECK(r.exit_code == 3);
  const json j = r.json();
  CHECK(j["status"] == "refused");
  REQUIRE(j["findings"].size() == 1);
  CHECK(j["findings"][0]["code"] == "CARD_HELD");
  CHECK(j["findings"][0]["item"] == d::kTv2);
  CHECK(j["findings"][0]["message_zh"].get<std::string>().find("挂单 #" + std::to_string(n)) != std::string::npos);
  CHECK(j["findings"][0]["message_en"].get<std::string>().find("held sale #" + std::to_string(n)) != std::string::npos);
  CHECK(o.reader().count("sales") == 0);
  // Another card sells as before.
  CHECK(o.sell(sale_to("李四", d::kIdLi, d::kHouseholdB).item(std::string(d::kTv3) + "=1999.00")).exit_code == 0);
}

TEST_CASE("the held sale is stored with the ID number sealed and listed masked", "[cli][hold]") {
  DemoOutlet o;
  const auto n = hold_at(o, {d::kTv2, d::kFridge1});
  const auto db = o.reader();
  CHECK(db.scalar("SELECT COUNT(*) FROM held_sale_lines WHERE held_id = " + std::to_string(n)) == 2);
  // Encrypted at rest: the full number appears in no column of the held sale.
  CHECK(db.scalar(std::string("SELECT COUNT(*) FROM held_sales WHERE instr(CAST(buyer_id_enc AS TEXT), '") +
                  d::kIdZhang + "') > 0 OR instr(buyer_id_masked, '" + d::kIdZhang + "') > 0") == 0);
  const auto list = o.as_clerk({"--json", "hold", "list", "--user", d::kClerk});
  REQUIRE(list.exit_code == 0);
  const json j = list.json();
  CHECK(j["hold_minutes"] == 120);
  REQUIRE(j["held"].size() == 1);
  CHECK(j["held"][0]["hold"] == n);
  CHECK(j["held"][0]["buyer_name"] == "张三");
  CHECK(j["held"][0]["buyer_id_masked"] == "3413**********1239");
  CHECK(j["held"][0]["held_by"] == d::kClerk);
  CHECK(j["held"][0]["count"] == 2);
  CHECK(j["held"][0]["items"][1]["card"] == d::kFridge1);
  CHECK(list.all_output().find(d::kIdZhang) == std::string::npos);
  const auto text = o.as_clerk({"hold", "list", "--user", d::kClerk});
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("#" + std::to_string(n)) != std::string::npos);
  CHECK(text.out.find("3413**********1239") != std::string::npos);
  CHECK(text.all_output().find(d::kIdZhang) == std::string::npos);
  CHECK(journal_count(o, "hold") == 1);
}

TEST_CASE("a manager drops a held sale with a reason, journaled, and its card sells again", "[cli][hold]") {
  DemoOutlet o;
  const auto n = std::to_string(hold_at(o, {d::kTv2}));
  // A clerk may not; a reason is needed; an unknown number is named.
  CHECK(o.as_clerk({"hold", "drop", n, "--user", d::kClerk, "--reason", "买家不来了"}).exit_code == 4);
  CHECK(o.as_manager({"hold", "drop", n, "--user", d::kManager}).exit_code == 2);
  const auto unknown = o.as_manager({"--json", "hold", "drop", "99", "--user", d::kManager, "--reason", "x"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.json()["error"]["code"] == "HOLD_UNKNOWN");
  CHECK(o.as_manager({"hold", "drop", "abc", "--user", d::kManager, "--reason", "x"}).exit_code == 2);
  const auto dropped = o.as_manager({"--json", "hold", "drop", n, "--user", d::kManager, "--reason", "买家不来了"});
  REQUIRE(dropped.exit_code == 0);
  CHECK(dropped.json()["status"] == "dropped");
  CHECK(journal_count(o, "hold_dropped") == 1);
  CHECK(o.reader().scalar("SELECT COUNT(*) FROM held_sales WHERE state = 'dropped' AND reason = '买家不来了'") == 1);
  const auto again = o.as_manager({"--json", "hold", "drop", n, "--user", d::kManager, "--reason", "x"});
  CHECK(again.exit_code == 3);
  CHECK(again.json()["error"]["code"] == "HOLD_CLOSED");
  CHECK(o.sell(tv2_to_li()).exit_code == 0);
  CHECK(o.as_clerk({"--json", "hold", "list", "--user", d::kClerk}).json()["held"].empty());
}

TEST_CASE("a held sale expires after the manager's time limit: its card sells and the expiry is journaled", "[cli][hold]") {
  DemoOutlet o;
  // Held 3 hours ago: past the default 120 minutes.
  hold_at(o, {d::kTv2}, 3 * 3600);
  CHECK(o.sell(tv2_to_li()).exit_code == 0);
  CHECK(o.as_clerk({"--json", "hold", "list", "--user", d::kClerk}).json()["held"].empty());
  CHECK(journal_count(o, "hold_expired") == 1);
  CHECK(o.reader().scalar("SELECT COUNT(*) FROM held_sales WHERE state = 'expired'") == 1);
}

TEST_CASE("sale.hold_minutes is a manager's setting from 1 to 1440 that sets when holds expire", "[cli][hold]") {
  DemoOutlet o;
  for (const char* bad : {"0", "1441", "abc", "-5", ""}) {
    const auto r = o.as_manager({"setting", "set", "--user", d::kManager, "--key", "sale.hold_minutes", "--value", bad});
    CAPTURE(bad);
    CHECK(r.exit_code == 2);
    if (*bad) CHECK(r.err.find("1440") != std::string::npos);
  }
  CHECK(o.as_clerk({"setting", "set", "--user", d::kClerk, "--key", "sale.hold_minutes", "--value", "300"}).exit_code ==
        4);
  REQUIRE(o.as_manager({"setting", "set", "--user", d::kManager, "--key", "sale.hold_minutes", "--value", "300"})
              .exit_code == 0);
  // Held 3 hours ago: within 300 minutes, still held.
  hold_at(o, {d::kTv2}, 3 * 3600);
  CHECK(o.sell(tv2_to_li()).exit_code == 3);
  const auto list = o.as_clerk({"--json", "hold", "list", "--user", d::kClerk}).json();
  CHECK(list["hold_minutes"] == 300);
  CHECK(list["held"].size() == 1);
}

TEST_CASE("close day refuses while sales are held, naming them, unless the manager drops them", "[cli][hold]") {
  DemoOutlet o;
  const auto n = hold_at(o, {d::kTv2});
  const auto refused = o.as_manager({"--json", "close", "day", "--user", d::kManager});
  CHECK(refused.exit_code == 3);
  const json e = refused.json()["error"];
  CHECK(e["code"] == "HELD_SALES_OPEN");
  CHECK(e["message_zh"].get<std::string>().find("#" + std::to_string(n) + " 张三") != std::string::npos);
  CHECK(e["message_en"].get<std::string>().find("--drop-held") != std::string::npos);
  CHECK(o.reader().count("closings") == 0);
  const auto closed = o.as_manager({"--json", "close", "day", "--user", d::kManager, "--drop-held"});
  REQUIRE(closed.exit_code == 0);
  CHECK(closed.json()["status"] == "closed");
  CHECK(o.reader().scalar("SELECT COUNT(*) FROM held_sales WHERE state = 'dropped' AND reason = 'closing'") == 1);
  CHECK(journal_count(o, "hold_dropped") == 1);
  // The drop is covered by the closing it came with.
  CHECK(o.reader().scalar("SELECT MAX(seq) FROM journal WHERE kind = 'hold_dropped'") <
        o.reader().scalar("SELECT MAX(seq) FROM journal WHERE kind = 'closing'"));
  // The journal with its hold entries still verifies for an auditor.
  REQUIRE(o.as_manager({"audit", "export", "--user", d::kManager, "--out", o.file("audit.json")}).exit_code == 0);
  const auto verified = o.run({"audit", "verify", o.file("audit.json")});
  CHECK(verified.exit_code == 0);
  CHECK(verified.all_output().find(d::kIdZhang) == std::string::npos);
}

TEST_CASE("a held sale recalled and sold frees nothing early and closes as sold", "[cli][hold]") {
  using namespace hn;
  DemoOutlet o;
  const auto n = hold_at(o, {d::kTv2});
  app::SystemClock clock;
  auto t = app::Terminal::open(o.db(), clock);
  const auto li = t->authenticate(d::kClerk, d::kClerkPin).value();
  const auto h = t->recall_hold(li, n);
  REQUIRE(h.ok());
  CHECK(h->buyer_id == d::kIdZhang);  // recalled in full for the invoice
  Cart cart;
  cart.buyer.name = h->buyer_name;
  cart.buyer.id_text = h->buyer_id;
  cart.buyer.household = h->household;
  cart.held_id = n;
  cart.items.push_back({d::kTv2, "", 199900});
  // The recalled cart's own card is not refused as held; another cart's is.
  CHECK_FALSE(t->preview(cart).refused());
  Cart other = cart;
  other.held_id = 0;
  CHECK(t->preview(other).refused());
  const auto sold = t->checkout(li, cart);
  REQUIRE(sold.ok());
  REQUIRE(sold->sale);
  CHECK(o.reader().scalar("SELECT COUNT(*) FROM held_sales WHERE state = 'sold' AND sale_id IS NOT NULL") == 1);
  CHECK(journal_count(o, "hold_recalled") == 1);
  CHECK(journal_count(o, "hold_sold") == 1);
  CHECK(o.as_clerk({"--json", "hold", "list", "--user", d::kClerk}).json()["held"].empty());
  // A held sale closed cannot be recalled again.
  const auto again = t->recall_hold(li, n);
  CHECK_FALSE(again.ok());
  CHECK(again.problem().code == "HOLD_CLOSED");
}
