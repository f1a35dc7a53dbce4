// End to end: the real `huinong-sandbox serve` on 127.0.0.1:0, set up with its own CLI and
// talked to over loopback with signed requests (sync/PROTOCOL.md). Each rule the province
// enforces across outlets is shown with two outlets where it matters (POLICY R5, R8, S1).
#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>

#include "harness.hpp"

using namespace hn;
using namespace hn::test;
using nlohmann::json;

namespace {

constexpr const char* kTv = "HISENSE-TLM26V68";       // tv, bid price 1999.00
constexpr const char* kTv2 = "TCL-L22E9";             // tv, bid price 1699.00
constexpr const char* kFridge = "HAIER-BCD-186KB";    // fridge, bid price 1799.00

Item tv(const std::string& card, Fen price = 199900) { return {card, "S-" + card, kTv, Category::Tv, price}; }
Item tv2(const std::string& card) { return {card, "S-" + card, kTv2, Category::Tv, 169900}; }
Item fridge(const std::string& card) { return {card, "S-" + card, kFridge, Category::Fridge, 179900}; }

std::array<std::string, 3> card_row(const std::string& card, const char* model) {
  return {card, "S-" + card, model};
}

// Two outlets of county 341322, A with cards A1-A4 (TVs) and AF1 (fridge), B with B1-B3 (TVs).
struct TwoOutlets {
  Sandbox sb;
  sync::Credential a, b;
  TwoOutlets() {
    a = sb.add_outlet("AH-XX-0001");
    b = sb.add_outlet("AH-XX-0002");
    sb.issue_cards("AH-XX-0001", {card_row("A1", kTv), card_row("A2", kTv), card_row("A3", kTv2),
                                  card_row("A4", kTv), card_row("AF1", kFridge)});
    sb.issue_cards("AH-XX-0002", {card_row("B1", kTv), card_row("B2", kTv2), card_row("B3", kTv)});
    sb.start();
  }
};

json upload(SignedClient& c, const std::vector<json>& sales) {
  const Reply r = c.post("/api/v1/sales", sales_body(sales));
  INFO(r.raw);
  REQUIRE(r.status == 200);
  REQUIRE(r.body["results"].size() == sales.size());
  return r.body["results"];
}

json one(SignedClient& c, const json& sale) { return upload(c, {sale})[0]; }

json outlet_report(Sandbox& sb, const std::string& code) {
  const json report = sb.report();
  for (const auto& o : report["outlets"])
    if (o["code"] == code) return o;
  FAIL("no outlet " << code << " in the report");
  return {};
}

}  // namespace

TEST_CASE("a sale is accepted once and a duplicate ever after", "[sandbox][e2e]") {
  TwoOutlets t;
  auto a = t.sb.client(t.a);
  const json sale = wire_sale("uuid-0001", "3413220001", 1, {tv("A1")});
  const json r1 = one(a, sale);
  CHECK(r1 == json{{"uuid", "uuid-0001"}, {"status", "accepted"}});
  const json r2 = one(a, sale);
  CHECK(r2 == json{{"uuid", "uuid-0001"}, {"status", "duplicate"}});
  // The same UUID with a different body is still the same sale: the UUID is the key.
  json changed = sale;
  changed["invoice_no"] = "00000099";
  CHECK(one(a, changed)["status"] == "duplicate");

  // Another outlet sending the same UUID is not told its sale is held.
  auto b = t.sb.client(t.b);
  CHECK(one(b, wire_sale("uuid-0001", "3413220009", 9, {tv("B1")}))["code"] == "UUID_CONFLICT");

  const json rep = outlet_report(t.sb, "AH-XX-0001");
  CHECK(rep["accepted"] == 1);
  CHECK(rep["duplicates"] == 2);
  CHECK(rep["rejected_total"] == 0);
}

TEST_CASE("the household limit holds across outlets: the second TV is HOUSEHOLD_LIMIT", "[sandbox][e2e]") {
  TwoOutlets t;
  auto a = t.sb.client(t.a);
  auto b = t.sb.client(t.b);
  // Both outlets sold a TV to household 3413220002 while offline; A uploads first.
  CHECK(one(a, wire_sale("a-tv", "3413220002", 2, {tv("A1")}))["status"] == "accepted");
  const json r = one(b, wire_sale("b-tv", "3413220002", 3, {tv("B1")}));
  CHECK(r["status"] == "rejected");
  CHECK(r["code"] == "HOUSEHOLD_LIMIT");  // POLICY R5: one TV per household (2008-12)
  CHECK(r["message_zh"].get<std::string>().find("彩电") != std::string::npos);
  CHECK(r["message_en"].get<std::string>().find("limit") != std::string::npos);
  // Sent again (a lost answer), it is rejected again with the same code.
  const json again = one(b, wire_sale("b-tv", "3413220002", 3, {tv("B1")}));
  CHECK(again == r);
  // The rejected sale did not sell card B1: it still sells, to another household.
  CHECK(one(b, wire_sale("b-fridge-less", "3413220003", 4, {tv("B1")}))["status"] == "accepted");

  const json rep = outlet_report(t.sb, "AH-XX-0002");
  CHECK(rep["accepted"] == 1);
  CHECK(rep["rejected"] == json{{"HOUSEHOLD_LIMIT", 1}});
  CHECK(rep["rejected_total"] == 1);
  CHECK(outlet_report(t.sb, "AH-XX-0001")["accepted"] == 1);
}

TEST_CASE("a batch is checked in order: a second TV in the same batch is refused", "[sandbox][e2e]") {
  TwoOutlets t;
  auto a = t.sb.client(t.a);
  const json results = upload(a, {wire_sale("s1", "3413220010", 10, {tv("A1")}),
                                  wire_sale("s2", "3413220010", 11, {tv("A2")}),
                                  wire_sale("s3", "3413220010", 12, {fridge("AF1")}),
                                  wire_sale("s1", "3413220010", 10, {tv("A1")})});
  CHECK(results[0]["status"] == "accepted");
  CHECK(results[1]["status"] == "rejected");
  CHECK(results[1]["code"] == "HOUSEHOLD_LIMIT");
  CHECK(results[2]["status"] == "accepted");  // one per category: the fridge is fine
  CHECK(results[3]["status"] == "duplicate");
  // Two TVs on one invoice for one household are refused the same way.
  CHECK(one(a, wire_sale("s4", "3413220011", 13, {tv("A2"), tv("A4")}))["code"] == "HOUSEHOLD_LIMIT");
}

TEST_CASE("a card issued to another outlet is CARD_NOT_RECEIVED, one never issued CARD_UNKNOWN", "[sandbox][e2e]") {
  TwoOutlets t;
  auto b = t.sb.client(t.b);
  const json r = one(b, wire_sale("b-a1", "3413220020", 20, {tv("A1")}));
  CHECK(r["status"] == "rejected");
  CHECK(r["code"] == "CARD_NOT_RECEIVED");  // POLICY R8
  CHECK(r["message_en"].get<std::string>().find("A1") != std::string::npos);
  CHECK(one(b, wire_sale("b-zz", "3413220021", 21, {tv("ZZ9")}))["code"] == "CARD_UNKNOWN");
  // A1 was not sold by the refusal: its own outlet sells it.
  auto a = t.sb.client(t.a);
  CHECK(one(a, wire_sale("a-a1", "3413220020", 20, {tv("A1")}))["status"] == "accepted");
}

TEST_CASE("a card is sold once province-wide: CARD_ALREADY_SOLD", "[sandbox][e2e]") {
  TwoOutlets t;
  // Two terminals of outlet A, both offline, sold the same card to different households.
  auto till1 = t.sb.client(t.a);
  auto till2 = t.sb.client(t.a);
  CHECK(one(till1, wire_sale("t1", "3413220030", 30, {tv2("A3")}))["status"] == "accepted");
  const json r = one(till2, wire_sale("t2", "3413220031", 31, {tv2("A3")}));
  CHECK(r["status"] == "rejected");
  CHECK(r["code"] == "CARD_ALREADY_SOLD");  // POLICY S1
  // The other outlet never received it at all.
  auto b = t.sb.client(t.b);
  CHECK(one(b, wire_sale("t3", "3413220032", 32, {tv2("A3")}))["code"] == "CARD_NOT_RECEIVED");
}

TEST_CASE("the province runs the whole policy engine on each sale", "[sandbox][e2e]") {
  TwoOutlets t;
  auto a = t.sb.client(t.a);
  // POLICY R3: above the model's bid price.
  CHECK(one(a, wire_sale("p1", "3413220040", 40, {tv("A1", 199901)}))["code"] == "PRICE_OVER_CAP");
  // POLICY S1: the serial issued with the card.
  Item wrong = tv("A1");
  wrong.serial = "S-OTHER";
  CHECK(one(a, wire_sale("p2", "3413220040", 40, {wrong}))["code"] == "CARD_SERIAL_MISMATCH");
  // POLICY R4: only agricultural households; the ID must be valid.
  json urban = wire_sale("p3", "3413220040", 40, {tv("A1")});
  urban["buyer"]["hukou"] = "non-agricultural";
  CHECK(one(a, urban)["code"] == "BUYER_NOT_ELIGIBLE");
  json bad_id = wire_sale("p4", "3413220040", 40, {tv("A1")});
  bad_id["buyer"]["id_number"] = "341322198001011230";
  CHECK(one(a, bad_id)["code"] == "ID_INVALID");
  // POLICY R1: as of the sale's own date, before the catalog's validity.
  CHECK(one(a, wire_sale("p5", "3413220040", 40, {tv("A1")}, "2008-11-30"))["code"] == "MODEL_NOT_ELIGIBLE");
  // POLICY R7: a buyer from another county is a warning, which does not reject.
  json other_county = wire_sale("p6", "3413220040", 40, {tv("A1")});
  other_county["buyer"]["county"] = "341321";
  CHECK(one(a, other_county)["status"] == "accepted");
  // POLICY S3: an empty invoice.
  CHECK(one(a, wire_sale("p7", "3413220041", 41, {}))["code"] == "INVOICE_EMPTY");
  const json rep = outlet_report(t.sb, "AH-XX-0001");
  CHECK(rep["rejected"] == json{{"PRICE_OVER_CAP", 1}, {"CARD_SERIAL_MISMATCH", 1}, {"BUYER_NOT_ELIGIBLE", 1},
                                {"ID_INVALID", 1}, {"MODEL_NOT_ELIGIBLE", 1}, {"INVOICE_EMPTY", 1}});
  CHECK(rep["accepted"] == 1);
}

TEST_CASE("a policy switch changes the household limit (policy use)", "[sandbox][e2e]") {
  TwoOutlets t;
  auto a = t.sb.client(t.a);
  const std::int64_t v = a.get("/api/v1/updates?since=0").body["version"];
  // April 2009: two units per category (POLICY "Policy data across phases").
  std::string out;
  REQUIRE(t.sb.cli({"policy", "use", "--db", t.sb.db(), assets_dir() + "/policy/2009-04.ini"}, &out) == 0);
  const Reply up = a.get("/api/v1/updates?since=" + std::to_string(v));
  REQUIRE(up.body["policies"].size() == 1);
  CHECK(up.body["policies"][0]["id"] == "2009-04");
  CHECK(up.body["catalog"].empty());
  CHECK(one(a, wire_sale("q1", "3413220050", 50, {tv("A1")}))["status"] == "accepted");
  CHECK(one(a, wire_sale("q2", "3413220050", 50, {tv("A2")}))["status"] == "accepted");
  CHECK(one(a, wire_sale("q3", "3413220050", 50, {tv("A4")}))["code"] == "HOUSEHOLD_LIMIT");
  CHECK(t.sb.report()["policy"] == "2009-04");
  // Back to Dec 2008 (stored already): the switch alone is an update, and the limit is 1 again.
  REQUIRE(t.sb.cli({"policy", "use", "--db", t.sb.db(), assets_dir() + "/policy/2008-12.ini"}) == 0);
  const Reply back = a.get("/api/v1/updates?since=" + std::to_string(up.body["version"].get<std::int64_t>()));
  REQUIRE(back.body["policies"].size() == 1);
  CHECK(back.body["policies"][0]["id"] == "2008-12");
  CHECK(one(a, wire_sale("q4", "3413220052", 52, {tv2("A3")}))["status"] == "accepted");
  auto b = t.sb.client(t.b);
  CHECK(one(b, wire_sale("q5", "3413220052", 52, {tv("B1")}))["code"] == "HOUSEHOLD_LIMIT");
}

TEST_CASE("a replayed request is refused 401 REPLAYED, also after a restart", "[sandbox][e2e]") {
  TwoOutlets t;
  auto a = t.sb.client(t.a);
  const std::string body = sales_body({wire_sale("r1", "3413220060", 60, {tv("A1")})}).dump();
  const auto headers = a.headers_for("POST", "/api/v1/sales", body);
  const Reply first = a.send("POST", "/api/v1/sales", body, headers);
  REQUIRE(first.status == 200);
  CHECK(first.body["results"][0]["status"] == "accepted");
  const Reply replay = a.send("POST", "/api/v1/sales", body, headers);
  CHECK(replay.status == 401);
  CHECK(replay.body["error"]["code"] == "REPLAYED");
  CHECK(!replay.body["error"]["message_zh"].get<std::string>().empty());
  CHECK(!replay.body["error"]["message_en"].get<std::string>().empty());
  // The province's memory of nonces survives a restart of the server.
  t.sb.start();
  auto again = t.sb.client(t.a);
  const Reply after = again.send("POST", "/api/v1/sales", body, headers);
  CHECK(after.status == 401);
  CHECK(after.body["error"]["code"] == "REPLAYED");
  // The replays were not counted as uploads.
  CHECK(outlet_report(t.sb, "AH-XX-0001")["duplicates"] == 0);
}

TEST_CASE("an altered body or path is refused 401 SIGNATURE_INVALID", "[sandbox][e2e]") {
  TwoOutlets t;
  auto a = t.sb.client(t.a);
  const std::string body = sales_body({wire_sale("x1", "3413220070", 70, {tv("A1", 150000)})}).dump();
  const auto headers = a.headers_for("POST", "/api/v1/sales", body);
  std::string altered = body;
  altered.replace(altered.find("150000"), 6, "120000");  // someone lowered the price on the way
  const Reply r = a.send("POST", "/api/v1/sales", altered, headers);
  CHECK(r.status == 401);
  CHECK(r.body["error"]["code"] == "SIGNATURE_INVALID");
  // Signed for /returns, sent to /sales.
  const Reply p = a.send("POST", "/api/v1/sales", body, a.headers_for("POST", "/api/v1/returns", body));
  CHECK(p.body["error"]["code"] == "SIGNATURE_INVALID");
  // The query string is signed as sent.
  const Reply q = a.send("GET", "/api/v1/updates?since=1", "", a.headers_for("GET", "/api/v1/updates?since=0", ""));
  CHECK(q.body["error"]["code"] == "SIGNATURE_INVALID");
  // Outlet B's headers with A's key.
  auto headers_b = headers;
  headers_b.erase("X-Huinong-Outlet");
  headers_b.emplace("X-Huinong-Outlet", "AH-XX-0002");
  CHECK(a.send("POST", "/api/v1/sales", body, headers_b).body["error"]["code"] == "SIGNATURE_INVALID");
  // The genuine request, untouched, still goes through: the refusals used up nothing.
  const Reply ok = a.send("POST", "/api/v1/sales", body, headers);
  CHECK(ok.status == 200);
  CHECK(outlet_report(t.sb, "AH-XX-0001")["accepted"] == 1);
}

TEST_CASE("a stale timestamp, an unknown outlet and missing headers are refused 401", "[sandbox][e2e]") {
  TwoOutlets t;
  auto a = t.sb.client(t.a);
  const std::string body = R"({"household":"3413220080"})";
  CHECK(a.post("/api/v1/quota", body, -301 - 5).body["error"]["code"] == "SIGNATURE_STALE");
  CHECK(a.post("/api/v1/quota", body, +400).body["error"]["code"] == "SIGNATURE_STALE");
  CHECK(a.post("/api/v1/quota", body, -100).status == 200);
  sync::Credential ghost = t.a;
  ghost.outlet_code = "AH-XX-9999";
  auto g = t.sb.client(ghost);
  const Reply r = g.post("/api/v1/quota", body);
  CHECK(r.status == 401);
  CHECK(r.body["error"]["code"] == "OUTLET_UNKNOWN");
  const Reply none = a.send("POST", "/api/v1/quota", body, {});
  CHECK(none.status == 401);
  CHECK(none.body["error"]["code"] == "OUTLET_UNKNOWN");
}

TEST_CASE("the quota counts the other outlets only, and returns give it back", "[sandbox][e2e]") {
  TwoOutlets t;
  auto a = t.sb.client(t.a);
  auto b = t.sb.client(t.b);
  CHECK(one(a, wire_sale("h1", "3413220090", 90, {tv("A1"), fridge("AF1")}))["status"] == "accepted");
  const json body = {{"household", "3413220090"}};
  const Reply from_b = b.post("/api/v1/quota", body);
  REQUIRE(from_b.status == 200);
  CHECK(from_b.body["household_held"]["tv"] == 1);
  CHECK(from_b.body["household_held"]["fridge"] == 1);
  CHECK(from_b.body["household_held"]["phone"] == 0);
  CHECK(from_b.body["household_held"].size() == 9);  // every category
  // The asking outlet knows its own sales: they are not in its answer.
  const Reply from_a = a.post("/api/v1/quota", body);
  CHECK(from_a.body["household_held"]["tv"] == 0);
  CHECK(from_a.body["household_held"]["fridge"] == 0);
  CHECK(b.post("/api/v1/quota", json{{"household", "3413229999"}}).body["household_held"]["tv"] == 0);

  // POLICY R6: a completed return gives the quota back.
  const json ev = {{"events", {{{"uuid", "e1"}, {"kind", "return"}, {"sale_uuid", "h1"}, {"card", "A1"},
                                {"at", "2026-11-28T09:00:00"}, {"reason", "质量问题"}}}}};
  const Reply ret = a.post("/api/v1/returns", ev);
  REQUIRE(ret.status == 200);
  CHECK(ret.body["results"][0] == json{{"uuid", "e1"}, {"status", "accepted"}});
  CHECK(a.post("/api/v1/returns", ev).body["results"][0]["status"] == "duplicate");
  CHECK(b.post("/api/v1/quota", body).body["household_held"]["tv"] == 0);
  CHECK(b.post("/api/v1/quota", body).body["household_held"]["fridge"] == 1);
  CHECK(one(b, wire_sale("h2", "3413220090", 90, {tv("B1")}))["status"] == "accepted");
  // The returned card was destroyed: it never sells again.
  CHECK(one(a, wire_sale("h3", "3413220091", 91, {tv("A1")}))["code"] == "CARD_ALREADY_SOLD");
  CHECK(outlet_report(t.sb, "AH-XX-0001")["events"]["accepted"] == 1);
}

TEST_CASE("cards/state follows the township's claim, and returns follow the state", "[sandbox][e2e]") {
  TwoOutlets t;
  auto a = t.sb.client(t.a);
  const Reply missing = a.post("/api/v1/cards/state", json{{"card", "A1"}});
  CHECK(missing.status == 404);
  CHECK(missing.body["error"]["code"] == "NOT_FOUND");
  std::string out;
  CHECK(t.sb.cli({"claim", "--db", t.sb.db(), "--card", "A1", "--state", "claimed"}, &out) == 2);
  CHECK(out.find("error:") != std::string::npos);

  REQUIRE(one(a, wire_sale("c1", "3413220100", 100, {tv("A1")}))["status"] == "accepted");
  REQUIRE(one(a, wire_sale("c2", "3413220101", 101, {tv("A2")}))["status"] == "accepted");
  CHECK(a.post("/api/v1/cards/state", json{{"card", "A1"}}).body ==
        json{{"card", "A1"}, {"sale_uuid", "c1"}, {"state", "not_claimed"}});
  auto event = [&](const std::string& uuid, const std::string& kind, const std::string& sale,
                   const std::string& card) {
    const Reply r = a.post("/api/v1/returns", json{{"events", {{{"uuid", uuid}, {"kind", kind},
                                                                {"sale_uuid", sale}, {"card", card},
                                                                {"at", "2026-11-28T09:00:00"},
                                                                {"reason", "r"}}}}});
    INFO(r.raw);
    REQUIRE(r.status == 200);
    return r.body["results"][0];
  };
  // Claimed and approved: the return waits for a pre-return (POLICY returns table).
  REQUIRE(t.sb.cli({"claim", "--db", t.sb.db(), "--card", "A1", "--state", "approved"}) == 0);
  CHECK(a.post("/api/v1/cards/state", json{{"card", "A1"}}).body["state"] == "approved");
  CHECK(event("e1", "return", "c1", "A1")["code"] == "SUBSIDY_APPROVED");
  CHECK(event("e2", "pre_return", "c1", "A1")["status"] == "accepted");
  // Paid: the buyer repays at the township first.
  REQUIRE(t.sb.cli({"claim", "--db", t.sb.db(), "--card", "A1", "--state", "paid"}) == 0);
  CHECK(event("e3", "return", "c1", "A1")["code"] == "SUBSIDY_PAID");
  REQUIRE(t.sb.cli({"claim", "--db", t.sb.db(), "--card", "A1", "--state", "refunded"}) == 0);
  CHECK(a.post("/api/v1/cards/state", json{{"card", "A1"}}).body["state"] == "refunded");
  CHECK(event("e4", "return", "c1", "A1")["status"] == "accepted");
  CHECK(event("e5", "return", "c1", "A1")["code"] == "ALREADY_RETURNED");
  // A registered claim can be cancelled; an unclaimed one cannot.
  CHECK(event("e6", "cancel_claim", "c2", "A2")["code"] == "CLAIM_NOT_CANCELLABLE");
  REQUIRE(t.sb.cli({"claim", "--db", t.sb.db(), "--card", "A2", "--state", "claimed"}) == 0);
  CHECK(event("e7", "cancel_claim", "c2", "A2")["status"] == "accepted");
  CHECK(a.post("/api/v1/cards/state", json{{"card", "A2"}}).body["state"] == "not_claimed");
  // Another outlet cannot return A's sale.
  auto b = t.sb.client(t.b);
  const Reply other = b.post("/api/v1/returns", json{{"events", {{{"uuid", "e8"}, {"kind", "return"},
                                                                  {"sale_uuid", "c2"}, {"card", "A2"},
                                                                  {"at", "2026-11-28T09:00:00"}}}}});
  CHECK(other.body["results"][0]["code"] == "SALE_UNKNOWN");
  CHECK(event("e9", "return", "c2", "A9")["code"] == "CARD_NOT_ON_SALE");
  const json rep = outlet_report(t.sb, "AH-XX-0001");
  CHECK(rep["events"]["accepted"] == 3);
  CHECK(rep["events"]["rejected"] == json{{"SUBSIDY_APPROVED", 1}, {"SUBSIDY_PAID", 1}, {"ALREADY_RETURNED", 1},
                                          {"CLAIM_NOT_CANCELLABLE", 1}, {"CARD_NOT_ON_SALE", 1}});
}

TEST_CASE("updates carry the catalog, the policies and the outlet's own cards since a version", "[sandbox][e2e]") {
  TwoOutlets t;
  auto a = t.sb.client(t.a);
  auto b = t.sb.client(t.b);
  const Reply all = a.get("/api/v1/updates?since=0");
  REQUIRE(all.status == 200);
  const std::int64_t v = all.body["version"];
  CHECK(v > 0);
  CHECK(all.body["catalog"].size() == 18);  // assets/demo/catalog.csv
  const json first = all.body["catalog"][0];
  CHECK(first["model_code"] == "CHANGHONG-SF2198");
  CHECK(first["category"] == "tv");
  CHECK(first["max_price_fen"] == 89900);
  CHECK(first["valid_from"] == "2008-12-01");
  CHECK(first["valid_to"].is_null());
  REQUIRE(all.body["policies"].size() == 1);
  CHECK(all.body["policies"][0]["id"] == "2008-12");
  CHECK(all.body["policies"][0]["source"].get<std::string>() ==
        read_text(assets_dir() + "/policy/2008-12.ini"));
  REQUIRE(all.body["cards"].size() == 5);  // A's cards only
  CHECK(all.body["cards"][0] == json{{"card_no", "A1"}, {"serial_no", "S-A1"}, {"model_code", kTv}});
  CHECK(b.get("/api/v1/updates?since=0").body["cards"].size() == 3);

  // Nothing new since v.
  const Reply none = a.get("/api/v1/updates?since=" + std::to_string(v));
  CHECK(none.body == json{{"version", v}, {"catalog", json::array()}, {"policies", json::array()}, {"cards", json::array()}});
  // A new shipment to A only.
  t.sb.issue_cards("AH-XX-0001", {card_row("A5", kFridge)});
  const Reply more = a.get("/api/v1/updates?since=" + std::to_string(v));
  CHECK(more.body["version"].get<std::int64_t>() > v);
  CHECK(more.body["cards"] == json::array({{{"card_no", "A5"}, {"serial_no", "S-A5"}, {"model_code", kFridge}}}));
  CHECK(more.body["catalog"].empty());
  CHECK(b.get("/api/v1/updates?since=" + std::to_string(v)).body["cards"].empty());
  // The server picks up what another process imported while it runs: A5 sells at once.
  CHECK(one(a, wire_sale("u1", "3413220110", 110, {fridge("A5")}))["status"] == "accepted");
  CHECK(a.get("/api/v1/updates?since=x").body["error"]["code"] == "BAD_REQUEST");
}

TEST_CASE("malformed requests get the protocol's error bodies", "[sandbox][e2e]") {
  TwoOutlets t;
  auto a = t.sb.client(t.a);
  json bad = wire_sale("m1", "3413220120", 120, {tv("A1")});
  bad["items"][0]["price_fen"] = 1999.0;
  const Reply r = a.post("/api/v1/sales", sales_body({wire_sale("m0", "3413220120", 120, {tv("A2")}), bad}));
  CHECK(r.status == 400);
  CHECK(r.body["error"]["code"] == "BAD_REQUEST");
  CHECK(r.body["error"]["message_en"].get<std::string>().find("sales[1].items[0].price_fen") != std::string::npos);
  // Nothing of a refused batch was stored.
  CHECK(outlet_report(t.sb, "AH-XX-0001")["accepted"] == 0);

  CHECK(a.post("/api/v1/sales", std::string("not json")).body["error"]["code"] == "BAD_REQUEST");
  CHECK(a.post("/api/v1/sales", json{{"sale", json::array()}}).body["error"]["code"] == "BAD_REQUEST");
  CHECK(a.post("/api/v1/quota", json::object()).body["error"]["code"] == "BAD_REQUEST");
  CHECK(a.post("/api/v1/cards/state", json{{"card", 1}}).body["error"]["code"] == "BAD_REQUEST");

  std::vector<json> many(501, wire_sale("big", "3413220121", 121, {tv("A1")}));
  const Reply big = a.post("/api/v1/sales", sales_body(many));
  CHECK(big.status == 413);
  CHECK(big.body["error"]["code"] == "BATCH_TOO_LARGE");

  const Reply nowhere = a.post("/api/v1/nowhere", json::object());
  CHECK(nowhere.status == 404);
  CHECK(nowhere.body["error"]["code"] == "NOT_FOUND");
  CHECK(!nowhere.body["error"]["message_zh"].get<std::string>().empty());
}

TEST_CASE("report --json gives per outlet accepted, duplicates and rejected by code", "[sandbox][e2e]") {
  TwoOutlets t;
  auto a = t.sb.client(t.a);
  auto b = t.sb.client(t.b);
  upload(a, {wire_sale("w1", "3413220130", 130, {tv("A1")}), wire_sale("w2", "3413220131", 131, {tv("A2")}),
             wire_sale("w1", "3413220130", 130, {tv("A1")})});
  upload(b, {wire_sale("w3", "3413220130", 130, {tv("B1")}), wire_sale("w4", "3413220132", 132, {tv("A4")}),
             wire_sale("w4", "3413220132", 132, {tv("A4")}), wire_sale("w5", "3413220133", 133, {tv("B3")})});
  const json r = t.sb.report();
  REQUIRE(r["outlets"].size() == 2);
  const json& ra = r["outlets"][0];
  const json& rb = r["outlets"][1];
  CHECK(ra["code"] == "AH-XX-0001");
  CHECK(ra["county"] == "341322");
  CHECK(ra["accepted"] == 2);
  CHECK(ra["duplicates"] == 1);
  CHECK(ra["rejected"] == json::object());
  CHECK(rb["code"] == "AH-XX-0002");
  CHECK(rb["accepted"] == 1);
  CHECK(rb["duplicates"] == 0);
  // w4 was answered twice but is one rejected sale.
  CHECK(rb["rejected"] == json{{"HOUSEHOLD_LIMIT", 1}, {"CARD_NOT_RECEIVED", 1}});
  CHECK(rb["rejected_total"] == 2);
  std::string text;
  REQUIRE(t.sb.cli({"report", "--db", t.sb.db()}, &text) == 0);
  CHECK(text.find("HOUSEHOLD_LIMIT: 1") != std::string::npos);
}

TEST_CASE("serve stops cleanly on SIGTERM", "[sandbox][e2e]") {
  TwoOutlets t;
  auto a = t.sb.client(t.a);
  CHECK(one(a, wire_sale("z1", "3413220140", 140, {tv("A1")}))["status"] == "accepted");
  CHECK(t.sb.stop_status() == 0);
  // What was accepted is on disk.
  CHECK(t.sb.report()["outlets"][0]["accepted"] == 1);
}

TEST_CASE("10,000 sales upload in batches of 500 well within 5 s", "[sandbox][e2e][perf]") {
  Sandbox sb;
  const auto cred = sb.add_outlet("AH-XX-0001");
  constexpr int kSales = 10000;
  constexpr int kBatch = 500;
  std::vector<std::array<std::string, 3>> cards;
  for (int i = 0; i < kSales; ++i) {
    char card[16];
    std::snprintf(card, sizeof card, "P%08d", i);
    cards.push_back(card_row(card, i % 2 ? kTv : kFridge));
  }
  sb.issue_cards("AH-XX-0001", cards);
  sb.start({"--quiet"});
  // The bodies are made before the clock starts, as the terminal's outbox holds them.
  std::vector<std::string> bodies;
  for (int start = 0; start < kSales; start += kBatch) {
    std::vector<json> sales;
    for (int i = start; i < start + kBatch; ++i) {
      char household[16];
      std::snprintf(household, sizeof household, "34132%05d", i);
      const std::string card = cards[static_cast<std::size_t>(i)][0];
      sales.push_back(wire_sale("perf-" + std::to_string(i), household, i,
                                {i % 2 ? tv(card) : fridge(card)}));
    }
    bodies.push_back(sales_body(sales).dump());
  }
  auto client = sb.client(cred);
  int accepted = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& body : bodies) {
    const Reply r = client.post("/api/v1/sales", body);
    REQUIRE(r.status == 200);
    for (const auto& res : r.body["results"]) accepted += res["status"] == "accepted";
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "sandbox: 10,000 sales in " << kSales / kBatch << " batches of " << kBatch << ": " << ms
            << " ms" << std::endl;
  CHECK(accepted == kSales);
  CHECK(ms < 5000);  // DESIGN.md "Budgets"
  const json rep = sb.report();
  CHECK(rep["outlets"][0]["accepted"] == kSales);
}
