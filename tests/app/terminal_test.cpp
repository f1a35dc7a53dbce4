// The use cases of pos/app on real SQLite files, with the clock held still.
#include <catch2/catch.hpp>

#include "app/paths.hpp"
#include "app/store_access.hpp"
#include "app/terminal.hpp"
#include "temp_dir.hpp"
#include "test_terminal.hpp"

#include <nlohmann/json.hpp>

using namespace hn;
using namespace hn::app;
using nlohmann::json;

namespace {
constexpr const char* kId = "341322198001011239";  // valid, county 341322
constexpr const char* kAssets = HUINONG_TEST_ASSETS_DIR;

std::string demo(const char* name) {
  const auto text = read_input_file(std::string(kAssets) + "/demo/" + name, files::Kind::CardsCsv);
  REQUIRE(text.ok());
  return text.value();
}

std::int64_t count(store::Store& s, const std::string& table) {
  auto st = s.db().prepare("SELECT COUNT(*) FROM " + table);
  st.step();
  return st.int64(0);
}

struct DemoOutlet : test::DemoTerminal {
  Cart tv_cart(const std::string& card, const std::string& household = "3413220012", Fen price = 199900) {
    return test::tv_cart(card, household, price);
  }
};

constexpr const char* kTv1 = "34080100000000010001";
constexpr const char* kTv2 = "34080100000000010002";
}  // namespace

TEST_CASE("init sets up the outlet on the December 2008 policy with every shipped phase",
          "[app][init]") {
  DemoOutlet o;
  CHECK(o.t->outlet().county == "341322");
  const PolicyPhase p = o.t->policy();
  CHECK(p.id == "2008-12");
  REQUIRE(p.active_category(Category::Tv));
  CHECK(p.active_category(Category::Tv)->cap == 200000);  // POLICY R3
  CHECK(p.active_category(Category::Computer) == nullptr);  // POLICY R2
  CHECK(hn::app::store_of(*o.t).policy_phases().ids() == std::vector<std::string>{"2008-12", "2009-04", "2010-06"});
}

TEST_CASE("an accepted sale is one transaction: sale, items, card, outbox and journal",
          "[app][checkout]") {
  DemoOutlet o;
  const auto before = count(hn::app::store_of(*o.t), "journal");
  auto r = o.t->checkout(o.clerk, o.tv_cart(kTv1));
  REQUIRE(r.ok());
  REQUIRE(r->sale);
  CHECK(r->invoice->invoice_no == "00000001");
  CHECK(r->sale->subsidy == 25987);  // POLICY S2: 13% of 1999.00
  CHECK(count(hn::app::store_of(*o.t), "sales") == 1);
  CHECK(count(hn::app::store_of(*o.t), "sale_items") == 1);
  CHECK(count(hn::app::store_of(*o.t), "outbox") == 1);
  CHECK(count(hn::app::store_of(*o.t), "journal") == before + 1);
  CHECK(hn::app::store_of(*o.t).cards().find(kTv1, "AH-XX-0001")->status == CardStatus::Sold);
  CHECK(store::journal_first_broken_link(hn::app::store_of(*o.t).db()) == 0);
}

TEST_CASE("a refused sale leaves no sale behind, consumes no invoice number and is journaled as an attempt",
          "[app][checkout]") {
  DemoOutlet o;
  const auto journal_before = count(hn::app::store_of(*o.t), "journal");
  auto refused = o.t->checkout(o.clerk, o.tv_cart(kTv1, "H1", 250000));  // over the cap
  REQUIRE(refused.ok());
  CHECK_FALSE(refused->sale);
  CHECK(refused->check.refused());
  CHECK(count(hn::app::store_of(*o.t), "sales") == 0);
  CHECK(count(hn::app::store_of(*o.t), "outbox") == 0);
  // The attempt itself is kept for the manager's report: who, when, which rule; no buyer.
  CHECK(count(hn::app::store_of(*o.t), "journal") == journal_before + 1);
  {
    auto st = hn::app::store_of(*o.t).db().prepare("SELECT kind, user_login, body FROM journal ORDER BY seq DESC LIMIT 1");
    REQUIRE(st.step());
    CHECK(st.text(0) == "sale_refused");
    CHECK(st.text(1) == o.clerk.login);
    const auto body = json::parse(st.text(2));
    CHECK(body.at("codes") == json::array({"PRICE_OVER_CAP"}));
    CHECK(body.at("items") == 1);
    CHECK(body.size() == 2);  // nothing else: no name, ID or household number
  }
  CHECK(hn::app::store_of(*o.t).cards().find(kTv1, "AH-XX-0001")->status == CardStatus::InStock);
  auto ok = o.t->checkout(o.clerk, o.tv_cart(kTv1, "H1"));
  REQUIRE(ok->sale);
  CHECK(ok->invoice->invoice_no == "00000001");
  CHECK_FALSE(o.t->checkout(o.clerk, o.tv_cart(kTv2, "H1"))->sale);  // POLICY R5
  auto next = o.t->checkout(o.clerk, o.tv_cart(kTv2, "H2"));
  REQUIRE(next->sale);
  CHECK(next->invoice->invoice_no == "00000002");
}

TEST_CASE("a return of a never-uploaded sale completes and gives the household its quota back",
          "[app][return]") {
  DemoOutlet o;
  auto sale = o.t->checkout(o.clerk, o.tv_cart(kTv1, "H1"));
  REQUIRE(sale->sale);
  CHECK_FALSE(o.t->checkout(o.clerk, o.tv_cart(kTv2, "H1"))->sale);
  auto ret = o.t->return_item(o.clerk, o.manager, 1, kTv1, "屏幕坏点");
  REQUIRE(ret.ok());
  CHECK(ret->item.price == 199900);
  CHECK(o.t->checkout(o.clerk, o.tv_cart(kTv2, "H1"))->sale);  // POLICY R6
  auto again = o.t->checkout(o.clerk, o.tv_cart(kTv1, "H3"));
  REQUIRE_FALSE(again->sale);
  CHECK(again->check.findings.at(0).code == FindingCode::CardAlreadySold);
  const auto twice = o.t->return_item(o.clerk, o.manager, 1, kTv1, "again");
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.problem().code == "ALREADY_RETURNED");
}

TEST_CASE("a return needs a manager as approver", "[app][return]") {
  DemoOutlet o;
  REQUIRE(o.t->checkout(o.clerk, o.tv_cart(kTv1, "H1"))->sale);
  const auto r = o.t->return_item(o.clerk, o.clerk, 1, kTv1, "x");
  REQUIRE_FALSE(r.ok());
  CHECK(r.problem().kind == ProblemKind::NotPermitted);
}

TEST_CASE("a return of an uploaded sale waits for the province's subsidy state", "[app][return]") {
  DemoOutlet o;
  REQUIRE(o.t->checkout(o.clerk, o.tv_cart(kTv1, "H1"))->sale);
  hn::app::store_of(*o.t).db().exec("UPDATE outbox SET state = 'accepted'");
  // No province to ask (none set up here): the return is opened and waits, goods not taken.
  const auto r = o.t->return_item(o.clerk, o.manager, 1, kTv1, "x");
  REQUIRE(r.ok());
  CHECK_FALSE(r->completed);
  CHECK(r->request.waits_for == "province");
  CHECK(count(hn::app::store_of(*o.t), "returns") == 0);
  CHECK(hn::app::store_of(*o.t).households().history("H1").held.count(Category::Tv) == 1);
  // Once the province answers "not claimed", it completes.
  o.t->set_subsidy_lookup([](const std::string&) { return SubsidyState::NotClaimed; });
  const auto done = o.t->advance_return(r->request.id);
  REQUIRE(done.ok());
  CHECK(done->completed);
  CHECK(count(hn::app::store_of(*o.t), "returns") == 1);
  CHECK(hn::app::store_of(*o.t).households().history("H1").held.count(Category::Tv) == 0);
}

TEST_CASE("a catalog file with one bad row imports nothing", "[app][import]") {
  DemoOutlet o;
  const auto before = count(hn::app::store_of(*o.t), "catalog_models");
  const std::string csv = std::string(kCatalogHeader) +
                          "\nNEW-1,tv,海信,彩电,32寸,1500.00,2008-12-01,\n"
                          "NEW-2,tv,海信,彩电,32寸,15x0,2008-12-01,\n";
  const auto r = o.t->import_catalog(o.manager, csv, "bad.csv");
  REQUIRE_FALSE(r.ok());
  CHECK(r.problem().kind == ProblemKind::BadInput);
  CHECK(r.problem().message_zh.find("第 3 行") != std::string::npos);
  CHECK(r.problem().message_en.find("row 3") != std::string::npos);
  CHECK(count(hn::app::store_of(*o.t), "catalog_models") == before);
}

TEST_CASE("a card batch holding one card already received imports nothing", "[app][import]") {
  DemoOutlet o;
  const auto before = count(hn::app::store_of(*o.t), "label_cards");
  const std::string csv = std::string(kCardBatchHeader) +
                          "\n99000000000000000001,NEWSERIAL1,HISENSE-TLM26V68\n" + kTv1 +
                          ",NEWSERIAL2,HISENSE-TLM26V68\n";
  const auto r = o.t->receive_cards(o.manager, csv, "again.csv");
  REQUIRE_FALSE(r.ok());
  CHECK(r.problem().code == "CARD_ALREADY_RECEIVED");
  CHECK(count(hn::app::store_of(*o.t), "label_cards") == before);
}

TEST_CASE("a model priced above its category cap imports with a warning", "[app][import]") {
  DemoOutlet o;
  const std::string csv = std::string(kCatalogHeader) + "\nBIG-TV,tv,长虹,液晶彩电,42寸,2999.00,2008-12-01,\n";
  const auto r = o.t->import_catalog(o.manager, csv, "big.csv");
  REQUIRE(r.ok());
  REQUIRE(r->warnings_en.size() == 1);
  CHECK(r->warnings_en[0].find("2999.00") != std::string::npos);
  CHECK(r->warnings_en[0].find("2000.00") != std::string::npos);
}

TEST_CASE("five wrong PINs lock the account and the journal records each failure", "[app][auth]") {
  DemoOutlet o;
  for (int i = 0; i < 4; ++i) CHECK(o.t->authenticate("li", "0000").problem().code == "PIN_WRONG");
  CHECK(o.t->authenticate("li", "0000").problem().code == "USER_LOCKED");
  CHECK(o.t->authenticate("li", "5678").problem().code == "USER_LOCKED");
  auto st = hn::app::store_of(*o.t).db().prepare("SELECT COUNT(*) FROM journal WHERE kind = 'login_failed'");
  st.step();
  CHECK(st.integer(0) == 5);
  REQUIRE(o.t->unlock_user(o.manager, "li").ok());
  CHECK(o.t->authenticate("li", "5678").ok());
}

TEST_CASE("a clerk may sell but not import the catalog or add users", "[app][auth]") {
  DemoOutlet o;
  CHECK(o.t->import_catalog(o.clerk, demo("catalog.csv"), "x").problem().kind == ProblemKind::NotPermitted);
  CHECK(o.t->add_user(o.clerk, "zhao", "赵", store::Role::Clerk, "1111").problem().kind ==
        ProblemKind::NotPermitted);
}

TEST_CASE("switching the policy phase changes the household limit", "[app][policy]") {
  DemoOutlet o;
  REQUIRE(o.t->checkout(o.clerk, o.tv_cart(kTv1, "H1"))->sale);
  CHECK_FALSE(o.t->checkout(o.clerk, o.tv_cart(kTv2, "H1"))->sale);
  REQUIRE(o.t->use_policy(o.manager, "2009-04").ok());  // POLICY R5: 2 per category in 2009
  CHECK(o.t->checkout(o.clerk, o.tv_cart(kTv2, "H1"))->sale);
  CHECK(o.t->use_policy(o.manager, "1999-01").problem().code == "POLICY_UNKNOWN");
}

TEST_CASE("the daily report splits the subsidy 80/20 and counts pending uploads", "[app][report]") {
  DemoOutlet o;
  REQUIRE(o.t->checkout(o.clerk, o.tv_cart(kTv1, "H1"))->sale);
  REQUIRE(o.t->checkout(o.clerk, o.tv_cart(kTv2, "H2", 150000))->sale);
  const auto r = o.t->daily_report(Date{2026, 11, 27});
  // 259.87 + 195.00 = 454.87; 80% = 363.896 -> 363.90; the province takes 90.97.
  CHECK(r.subsidy == 45487);
  CHECK(r.subsidy_central == 36390);
  CHECK(r.subsidy_provincial == 9097);
  CHECK(r.figures.sales_count == 2);
  CHECK(r.figures.pending_upload == 2);
}

TEST_CASE("the buyer's ID number is stored nowhere in clear", "[app][privacy]") {
  DemoOutlet o;
  REQUIRE(o.t->checkout(o.clerk, o.tv_cart(kTv1, "HOUSEHOLD-7788"))->sale);
  const std::string db = test::slurp(o.dir.file("pos.db")) + test::slurp(o.dir.file("pos.db-wal"));
  CHECK(db.size() > 4096);
  CHECK(db.find(kId) == std::string::npos);
  CHECK(db.find("HOUSEHOLD-7788") == std::string::npos);
  CHECK(db.find("3413**********1239") != std::string::npos);  // the masked form is kept
}
