// What the province tells an outlet (issue 14, item 8): a card's sale and subsidy state only
// to the outlet that sold it.
#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace hn;
using namespace hn::test;
using nlohmann::json;

namespace {

constexpr const char* kTv = "HISENSE-TLM26V68";  // tv, bid price 1999.00

Item tv(const std::string& card) { return {card, "S-" + card, kTv, Category::Tv, 199900}; }

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
