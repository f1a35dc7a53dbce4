// What the province tells an outlet, and what it pays (issue 14, items 8 and 10): a card's
// subsidy state only to the outlet that sold it; a subsidy claim other than the rule's figure
// rejected, never quietly rewritten.
#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace hn;
using namespace hn::test;
using nlohmann::json;

namespace {

constexpr const char* kTv = "HISENSE-TLM26V68";  // tv, bid price 1999.00
constexpr const char* kPhone = "LENOVO-I906";    // phone, bid price 699.00

Item tv(const std::string& card) { return {card, "S-" + card, kTv, Category::Tv, 199900}; }
Item phone(const std::string& card) { return {card, "S-" + card, kPhone, Category::Phone, 69900}; }

std::array<std::string, 3> card_row(const std::string& card, const char* model) {
  return {card, "S-" + card, model};
}

json one(SignedClient& c, const json& sale) {
  const Reply r = c.post("/api/v1/sales", sales_body({sale}));
  INFO(r.raw);
  REQUIRE(r.status == 200);
  REQUIRE(r.body["results"].size() == 1);
  return r.body["results"][0];
}

json outlet_report(Sandbox& sb, const std::string& code) {
  const json report = sb.report();
  for (const auto& o : report["outlets"])
    if (o["code"] == code) return o;
  FAIL("no outlet " << code << " in the report");
  return {};
}

// The sale as a broken or tampered terminal sends it: every line claims `subsidies[i]`, and
// the total is their sum, so the sale agrees with itself.
json claiming(json sale, const std::vector<Fen>& subsidies) {
  Fen total = 0;
  for (std::size_t i = 0; i < subsidies.size(); ++i) {
    sale["items"][i]["subsidy_fen"] = subsidies[i];
    total += subsidies[i];
  }
  sale["subsidy_fen"] = total;
  return sale;
}

}  // namespace

TEST_CASE("cards/state answers an outlet about its own cards only", "[sandbox][e2e][privacy]") {
  Sandbox sb;
  const auto a_cred = sb.add_outlet("AH-XX-0001");
  const auto b_cred = sb.add_outlet("AH-XX-0002");
  sb.issue_cards("AH-XX-0001", {card_row("A1", kTv)});
  sb.issue_cards("AH-XX-0002", {card_row("B1", kTv)});
  sb.start({"--quiet"});
  auto a = sb.client(a_cred);
  auto b = sb.client(b_cred);
  REQUIRE(one(a, wire_sale("a-sale-0001", "3413220200", 200, {tv("A1")}))["status"] == "accepted");
  REQUIRE(sb.cli({"claim", "--db", sb.db(), "--card", "A1", "--state", "approved"}) == 0);

  // The outlet that sold it sees the sale and the state.
  CHECK(a.post("/api/v1/cards/state", json{{"card", "A1"}}).body ==
        json{{"card", "A1"}, {"sale_uuid", "a-sale-0001"}, {"state", "approved"}});
  // Another outlet gets the answer for a card the province never saw sold: no UUID, no state,
  // not even whether the card was sold.
  const Reply other = b.post("/api/v1/cards/state", json{{"card", "A1"}});
  CHECK(other.status == 404);
  CHECK(other.body["error"]["code"] == "NOT_FOUND");
  CHECK(other.raw.find("a-sale-0001") == std::string::npos);
  CHECK(other.raw.find("approved") == std::string::npos);
  const Reply never = b.post("/api/v1/cards/state", json{{"card", "B1"}});
  CHECK(never.status == 404);
  json other_error = other.body["error"], never_error = never.body["error"];
  for (auto* e : {&other_error, &never_error})
    for (const char* k : {"message_zh", "message_en"}) {
      std::string m = (*e)[k];
      for (const std::string card : {"A1", "B1"})
        if (const auto at = m.find(card); at != std::string::npos)
          m.replace(at, card.size(), "CARD");
      (*e)[k] = m;
    }
  CHECK(other_error == never_error);
}

TEST_CASE(
    "a subsidy claim that is not the rule's figure is rejected SUBSIDY_MISMATCH with both figures",
    "[sandbox][e2e][policy]") {
  Sandbox sb;
  const auto cred = sb.add_outlet("AH-XX-0001");
  sb.issue_cards("AH-XX-0001",
                 {card_row("P1", kPhone), card_row("P2", kPhone), card_row("T1", kTv)});
  sb.start({"--quiet"});
  auto a = sb.client(cred);

  // A 699.00 phone claimed at 200.00 (13% is 90.87), the sale agreeing with itself.
  const json wrong = claiming(wire_sale("claim-0001", "3413220210", 210, {phone("P1")}), {20000});
  const json r = one(a, wrong);
  CHECK(r["status"] == "rejected");
  CHECK(r["code"] == "SUBSIDY_MISMATCH");
  for (const char* k : {"message_zh", "message_en"}) {
    const std::string m = r[k];
    CHECK(m.find("200.00") != std::string::npos);
    CHECK(m.find("90.87") != std::string::npos);
  }
  // Rejected for good, and nothing of it was stored as sold: the card and the household's
  // quota are still free for the sale made right.
  CHECK(one(a, wrong)["code"] == "SUBSIDY_MISMATCH");
  CHECK(one(a, wire_sale("claim-0002", "3413220210", 210, {phone("P1")}))["status"] == "accepted");
  // Claiming less than the rule is as wrong as claiming more.
  CHECK(one(a, claiming(wire_sale("claim-0003", "3413220211", 211, {phone("P2")}), {0}))["code"] ==
        "SUBSIDY_MISMATCH");

  // Lines that trade their subsidies keep the total right and are still wrong: the line is named.
  const json swapped =
      claiming(wire_sale("claim-0004", "3413220212", 212, {phone("P2"), tv("T1")}), {25987, 9087});
  CHECK(swapped["subsidy_fen"] == 9087 + 25987);
  const json s = one(a, swapped);
  CHECK(s["code"] == "SUBSIDY_MISMATCH");
  CHECK(s["message_en"].get<std::string>().find("P2") != std::string::npos);
  CHECK(s["message_en"].get<std::string>().find("259.87") != std::string::npos);
  CHECK(s["message_en"].get<std::string>().find("90.87") != std::string::npos);

  const json rep = outlet_report(sb, "AH-XX-0001");
  CHECK(rep["accepted"] == 1);
  CHECK(rep["rejected"] == json{{"SUBSIDY_MISMATCH", 3}});
}
