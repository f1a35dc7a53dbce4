// Returns over the provincial system: subsidy first, goods second (POLICY "Returns", R6).
// The real sandbox on loopback plays the province, `huinong-sandbox claim` the township
// finance office; the terminal is a real SQLite file driven through the use cases and the CLI.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <chrono>

#include "app/day_close.hpp"
#include "app/province_link.hpp"
#include "app/store_access.hpp"
#include "province_harness.hpp"
#include "sync/client/sync_service.hpp"

using namespace hn;
using namespace hn::test;

namespace {
const char* kHousehold = "3413220012";

// One outlet with a TV sold to kHousehold and uploaded; the terminal asks the province about
// subsidies and quotas.
struct Returns {
  TempDir dir;
  Province province{dir.path()};
  std::string credential = province.add_outlet("AH-XX-0001", 1, 6, dir.file("a.csv"));
  TestTerminal a{dir.file("a.db"), "AH-XX-0001", dir.file("a.csv")};
  std::unique_ptr<sync::ProvinceClient> client;

  Returns() {
    REQUIRE(a.sell_tv(tv_card(1), kHousehold));
    province.serve();
    connect();
    REQUIRE(upload().accepted == 1);
  }
  void connect() {
    client = sync::ProvinceClient::connect(province.url(), sync::load_credential(credential));
    app::ask_province_at_checkout(*a.t, *client);
  }
  sync::SyncCounts upload() {
    sync::SyncService::Options o;
    o.timeout = std::chrono::milliseconds(2000);
    return sync::SyncService(hn::app::store_of(*a.t), *client, unix_ms, o).pass();
  }
  void office(const std::string& state) {  // the township finance office
    sandbox({"claim", "--db", province.db(), "--card", tv_card(1), "--state", state});
  }
  app::Result<app::ReturnResult> open_return() {
    return a.t->return_item(a.clerk, a.manager, 1, tv_card(1), "屏幕不亮,三包退货");
  }
  // Whether the household may buy another subsidised TV now (a real checkout, undone by
  // nothing: each branch asks this at most once after completion).
  bool household_can_buy(int card) { return a.sell_tv(tv_card(card), kHousehold); }
  std::int64_t province_returns() {
    return query(province.db(), "SELECT COUNT(*) FROM prov_events WHERE kind = 'return' AND status = 'accepted'");
  }
};
}  // namespace

TEST_CASE("returns: no subsidy claimed, the return completes at once and the quota comes back",
          "[sync][returns]") {
  Returns r;
  CHECK_FALSE(r.household_can_buy(2));  // POLICY R5: one TV per household
  const auto ret = r.open_return();
  REQUIRE(ret.ok());
  CHECK(ret->completed);
  CHECK(ret->request.province_state == "not_claimed");
  REQUIRE(ret->credit_note);
  CHECK(r.upload().accepted == 1);  // the return event
  CHECK(r.province_returns() == 1);
  CHECK(r.household_can_buy(3));  // POLICY R6
  // The invoice is void, its number stays; the card is recorded as destroyed.
  CHECK(r.a.t->invoice(1)->status == "已作废 VOID");
  CHECK(query(r.dir.file("a.db"), "SELECT COUNT(*) FROM label_cards WHERE state = 'returned'") == 1);
  const auto papers = hn::app::store_of(*r.a.t).returns().documents(ret->request.id);
  REQUIRE(papers.size() == 2);
  CHECK(papers[0].kind == "credit_note");
  CHECK(papers[1].kind == "voided_invoice");
  CHECK(papers[1].text.find("已作废 VOID") != std::string::npos);
}

TEST_CASE("returns: a registered claim is cancelled first, and a refused claim returns at once",
          "[sync][returns]") {
  SECTION("claimed") {
    Returns r;
    r.office("claimed");
    const auto ret = r.open_return();
    REQUIRE(ret.ok());
    CHECK(ret->completed);
    CHECK(ret->request.province_state == "claimed");
    CHECK(r.upload().accepted == 2);  // cancel_claim, then the return
    CHECK(query(r.province.db(), "SELECT COUNT(*) FROM prov_events WHERE kind = 'cancel_claim' AND "
                                 "status = 'accepted'") == 1);
    CHECK(r.province_returns() == 1);
    CHECK(r.household_can_buy(2));
  }
  SECTION("claimed then refused by the county") {
    Returns r;
    r.office("claimed");
    r.office("rejected");
    const auto ret = r.open_return();
    REQUIRE(ret.ok());
    CHECK(ret->completed);
    CHECK(ret->request.province_state == "rejected");
    CHECK(r.upload().accepted == 1);
    CHECK(r.province_returns() == 1);
    CHECK(r.household_can_buy(2));
  }
}

TEST_CASE("returns: approved, then paid, then refunded: pre-return, refund form, completion",
          "[sync][returns]") {
  Returns r;
  r.office("claimed");
  r.office("approved");
  auto ret = r.open_return();
  REQUIRE(ret.ok());
  CHECK_FALSE(ret->completed);
  CHECK(ret->request.waits_for == "payment_run");
  CHECK(ret->request.pre_return_filed);
  CHECK(r.upload().accepted == 1);  // the pre-return
  CHECK(query(r.province.db(), "SELECT payment_held FROM prov_claims") == 1);
  CHECK_FALSE(r.household_can_buy(2));  // before completion the quota is still taken

  // Nothing new at the province: the return waits, nothing more is filed.
  auto again = r.a.t->advance_return(ret->request.id);
  REQUIRE(again.ok());
  CHECK_FALSE(again->changed);
  CHECK(r.upload().sent == 0);

  r.office("paid");  // the payment run went ahead
  again = r.a.t->advance_return(ret->request.id);
  REQUIRE(again.ok());
  CHECK(again->request.waits_for == "buyer_refund");
  REQUIRE(again->refund_form);
  CHECK(again->request.return_request_filed);
  CHECK(r.upload().accepted == 1);  // the return request
  CHECK_FALSE(r.household_can_buy(3));

  r.office("refunded");  // 补贴已退,可退货
  CHECK(r.a.t->advance_open_returns().size() == 1);
  const auto done = r.a.t->return_status(ret->request.id);
  REQUIRE(done.ok());
  CHECK(done->completed);
  CHECK(done->request.province_state == "refunded");
  CHECK(r.upload().accepted == 1);
  CHECK(r.province_returns() == 1);
  CHECK(r.household_can_buy(4));
  // The paper kept: refund form, credit note, voided invoice.
  const auto papers = hn::app::store_of(*r.a.t).returns().documents(ret->request.id);
  REQUIRE(papers.size() == 3);
  CHECK(papers[0].kind == "refund_form");
}

TEST_CASE("returns: paid, then refunded: the refund form first, the goods after", "[sync][returns]") {
  Returns r;
  r.office("claimed");
  r.office("approved");
  r.office("paid");
  const auto ret = r.open_return();
  REQUIRE(ret.ok());
  CHECK_FALSE(ret->completed);
  CHECK(ret->request.waits_for == "buyer_refund");
  REQUIRE(ret->refund_form);
  CHECK_FALSE(ret->request.pre_return_filed);
  CHECK(r.upload().accepted == 1);
  CHECK_FALSE(r.household_can_buy(2));
  r.office("refunded");
  const auto done = r.a.t->advance_return(ret->request.id);
  REQUIRE(done.ok());
  CHECK(done->completed);
  REQUIRE(done->credit_note);
  CHECK(r.upload().accepted == 1);
  CHECK(r.household_can_buy(3));
}

TEST_CASE("returns: the province unreachable, the return waits, nothing is lost, and it completes "
          "when the network is back", "[sync][returns]") {
  Returns r;
  r.province.stop();
  const auto started = std::chrono::steady_clock::now();
  const auto ret = r.open_return();
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(2500));  // never long
  REQUIRE(ret.ok());
  CHECK_FALSE(ret->completed);
  CHECK(ret->request.waits_for == "province");
  CHECK(ret->decision.next_en.find("continues by itself") != std::string::npos);
  CHECK(r.a.t->advance_open_returns().empty());  // still nobody to ask
  CHECK_FALSE(r.household_can_buy(2));
  // A second return of the same card is refused while the first waits.
  const auto twice = r.open_return();
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.problem().code == "RETURN_ALREADY_OPEN");

  r.province.serve();
  r.connect();
  CHECK(r.a.t->advance_open_returns().size() == 1);
  const auto done = r.a.t->return_status(ret->request.id);
  REQUIRE(done.ok());
  CHECK(done->completed);
  CHECK(r.upload().accepted == 1);
  CHECK(r.province_returns() == 1);
}

TEST_CASE("returns: the CLI opens, lists, shows and withdraws returns with the province's state",
          "[sync][returns][cli]") {
  Returns r;
  r.office("claimed");
  r.office("approved");
  r.office("paid");
  const std::string db = r.dir.file("a.db");
  REQUIRE(app::setup_sync(*r.a.t, r.a.manager, r.province.url(), r.credential, "").ok());
  auto cli = [&](const std::vector<std::string>& args, const Env& env, std::string& out) {
    return run_cli_json(db, args, env, out);
  };
  const Env clerk = {{"HUINONG_PIN", "5678"}, {"HUINONG_APPROVER_PIN", "1234"}};
  std::string out;
  REQUIRE(cli({"return", "--user", "li", "--approver", "wang", "--invoice", "1", "--card", tv_card(1), "--reason",
               "质量问题", "--form-out", r.dir.file("form.txt")},
              clerk, out) == 0);
  auto j = nlohmann::json::parse(out);
  CHECK(j["status"] == "waiting");
  CHECK(j["province_state"] == "paid");
  CHECK(j["waits_for"] == "buyer_refund");
  CHECK(j["next_zh"].get<std::string>().find("乡镇财政所") != std::string::npos);
  const std::string form = read_text(r.dir.file("form.txt"));
  CHECK(form.find("家电下乡补贴资金申报(退还)表") != std::string::npos);
  CHECK(form.find(tv_card(1)) != std::string::npos);
  CHECK(form.find("259.87") != std::string::npos);
  const std::string id = j["return"];

  REQUIRE(cli({"returns", "list", "--user", "li"}, clerk, out) == 0);
  j = nlohmann::json::parse(out);
  REQUIRE(j["returns"].size() == 1);
  CHECK(j["returns"][0]["return"] == id);
  CHECK(j["returns"][0]["waits_for"] == "buyer_refund");
  CHECK(out.find("341322198001011239") == std::string::npos);  // no ID in a list

  // Withdrawn by a manager only, with a reason; afterwards the item can be returned anew.
  CHECK(cli({"returns", "cancel", "--user", "li", "--return", id, "--reason", "x"}, clerk, out) == 4);
  CHECK(cli({"returns", "cancel", "--user", "wang", "--return", "R99", "--reason", "x"},
            {{"HUINONG_PIN", "1234"}}, out) == 2);
  REQUIRE(cli({"returns", "cancel", "--user", "wang", "--return", id, "--reason", "顾客决定保留"},
              {{"HUINONG_PIN", "1234"}}, out) == 0);
  CHECK(nlohmann::json::parse(out)["status"] == "cancelled");
  REQUIRE(cli({"returns", "list", "--user", "li"}, clerk, out) == 0);
  CHECK(nlohmann::json::parse(out)["returns"].empty());

  // Opened again after the buyer repaid: completed, with its credit note.
  r.office("refunded");
  REQUIRE(cli({"return", "--user", "li", "--approver", "wang", "--invoice", "00000001", "--card", tv_card(1),
               "--note-out", r.dir.file("note.txt")},
              clerk, out) == 0);
  j = nlohmann::json::parse(out);
  CHECK(j["status"] == "completed");
  CHECK(j["province_state"] == "refunded");
  const std::string note = read_text(r.dir.file("note.txt"));
  CHECK(note.find("1999.00") != std::string::npos);
  CHECK(note.find("341322198001011239") == std::string::npos);  // masked on the credit note
  const int synced = cli({"sync", "--user", "li", "--once"}, clerk, out);
  INFO(out);
  REQUIRE(synced == 0);
  j = nlohmann::json::parse(out);
  CHECK(j["accepted"] == 1);  // the return; the withdrawn return's request never went up
  CHECK(j["rejected"] == 0);
  CHECK(r.province_returns() == 1);
  CHECK(query(r.province.db(), "SELECT COUNT(*) FROM prov_events WHERE kind = 'return_request'") == 0);
}

TEST_CASE("the signed daily closing goes up to the province, which keeps its copy and the key",
          "[sync][audit]") {
  Returns r;  // one TV sold and uploaded
  const auto closing = r.a.t->close_day(r.a.manager, r.a.t->now().date);
  REQUIRE(closing.ok());
  CHECK(closing->figures["sales_count"] == 1);
  const auto sent = r.upload();
  CHECK(sent.accepted == 1);
  CHECK(sent.rejected == 0);
  CHECK(query(r.province.db(), "SELECT COUNT(*) FROM prov_closings") == 1);
  CHECK(query(r.province.db(), "SELECT COUNT(*) FROM prov_outlet_keys WHERE public_key = '" +
                                   r.a.t->signing_key().public_hex() + "'") == 1);
  // Sent again (an answer lost on the way), it is a duplicate, not a second closing.
  hn::app::store_of(*r.a.t).db().exec("UPDATE outbox SET state = 'pending' WHERE kind = 'closing'");
  CHECK(r.upload().duplicate == 1);
  CHECK(query(r.province.db(), "SELECT COUNT(*) FROM prov_closings") == 1);
}
