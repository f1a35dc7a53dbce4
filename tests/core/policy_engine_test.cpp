#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/policy_engine.hpp"
#include "test_files.hpp"

using hn::CardStatus;
using hn::Category;
using hn::Date;
using hn::Finding;
using hn::FindingCode;
using hn::SaleCheck;
using hn::Severity;

namespace {

// Buyer ID numbers (GB 11643 check by ISO 7064 MOD 11-2, weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5
// 8 4 2; sum mod 11 -> 1 0 X 9 8 7 6 5 4 3 2):
// 340822 19800101 001: 21+36+0+40+16+8+2+9+48+0+0+9+0+5+0+0+2 = 196, mod 11 = 9 -> '3'
constexpr const char* kBuyerId = "340822198001010013";  // 怀宁县, the outlet's county
// 340823 19800101 001: as above but the sixth digit is 3, not 2, at weight 4:
// 196 - 2*4 + 3*4 = 200, mod 11 = 2 -> 'X'
constexpr const char* kOtherCountyId = "34082319800101001X";  // 枞阳县, a neighbouring county
constexpr const char* kOutletCounty = "340822";

hn::CatalogModel model(const std::string& code, Category category, hn::Fen max_price,
                       Date from = Date{2008, 12, 1}, std::optional<Date> to = std::nullopt) {
  hn::CatalogModel m;
  m.model_code = code;
  m.category = category;
  m.brand = "品牌";
  m.name = "产品";
  m.spec = "规格";
  m.max_price = max_price;
  m.valid_from = from;
  m.valid_to = to;
  return m;
}

hn::PolicyPhase load_policy(const std::string& file) {
  hn::PolicyPhase phase;
  hn::ImportMessage error;
  if (!hn::parse_policy_file(hn_test::read_asset("policy/" + file), phase, error))
    FAIL(file << ": " << error.text());
  return phase;
}

// A counter, a catalog, a policy phase and a cart: what the engine sees at one sale.
struct Counter {
  hn::Catalog catalog;
  hn::PolicyPhase policy;
  hn::SaleContext ctx;
  hn::Cart cart;

  explicit Counter(const std::string& policy_file = "2008-12.ini")
      : policy(load_policy(policy_file)) {
    catalog.put(model("TV-1999", Category::Tv, 199900));  // bid price below the 2008 cap
    catalog.put(model("TV-2000", Category::Tv, 200000));  // bid price equal to the 2008 cap
    catalog.put(model("TV-2500", Category::Tv, 250000));  // bid price above the 2008 cap
    catalog.put(model("TV-6999", Category::Tv, 699900));  // for the 2010 tiers
    catalog.put(model("TV-SHORT", Category::Tv, 99900, Date{2008, 12, 1}, Date{2009, 1, 31}));
    catalog.put(model("TV-LATE", Category::Tv, 99900, Date{2009, 3, 1}));
    catalog.put(model("FRIDGE-1799", Category::Fridge, 179900));
    catalog.put(model("PHONE-599", Category::Phone, 59900));
    catalog.put(model("WASHER-1099", Category::Washer, 109900));
    catalog.put(model("PC-3499", Category::Computer, 349900));
    ctx.outlet = {"340822001", "石牌镇家电城", kOutletCounty};
    ctx.today = Date{2009, 1, 15};
    cart.buyer.name = "王秀英";
    cart.buyer.id_text = kBuyerId;
    cart.buyer.household = "340822-0012";
    cart.buyer.hukou = hn::Hukou::Agricultural;
  }

  // Adds an item with its label card record (card number and serial made from the index).
  void add(const std::string& model_code, hn::Fen price, CardStatus status = CardStatus::InStock,
           std::string serial = "") {
    const std::string n = std::to_string(cart.items.size() + 1);
    add_card(std::string("3408010000000001000") + n, model_code, price, status, std::move(serial));
  }

  void add_card(const std::string& card_no, const std::string& model_code, hn::Fen price,
                CardStatus status = CardStatus::InStock, std::string serial = "") {
    cart.items.push_back({card_no, std::move(serial), price});
    ctx.cards.push_back(hn::LabelCard{card_no, "SN-" + card_no, model_code, status});
  }

  SaleCheck check() {
    ctx.catalog = &catalog;
    ctx.policy = &policy;
    auto result = hn::check_sale(ctx, cart);
    // One priced line per cart item, refused or not, in cart order.
    REQUIRE(result.lines.size() == cart.items.size());
    for (std::size_t i = 0; i < cart.items.size(); ++i)
      REQUIRE(result.lines[i].card_no == cart.items[i].card_no);
    return result;
  }
};

std::vector<std::string> codes(const SaleCheck& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings) out.emplace_back(hn::finding_code_name(f.code));
  return out;
}

const Finding& only_finding(const SaleCheck&& r) = delete;  // would dangle
const Finding& only_finding(const SaleCheck& r) {
  INFO("findings: " << Catch::Detail::stringify(codes(r)));
  REQUIRE(r.findings.size() == 1);
  return r.findings.front();
}

using Codes = std::vector<std::string>;

}  // namespace

TEST_CASE("a valid sale is accepted with a subsidy of 13% of the price", "[policy]") {
  // POLICY S2: 1999.00 * 13% = 259.87
  Counter c;
  c.add("TV-1999", 199900);
  const auto r = c.check();
  CHECK(r.findings.empty());
  CHECK_FALSE(r.refused());
  REQUIRE(r.lines.size() == 1);
  CHECK(r.lines[0].subsidy == 25987);
  CHECK(r.lines[0].cap == 199900);
  REQUIRE(r.lines[0].model);
  CHECK(r.lines[0].model->model_code == "TV-1999");
  CHECK(r.total == 199900);
  CHECK(r.subsidy == 25987);
  REQUIRE(r.buyer_id);
  CHECK(r.buyer_id->digits() == kBuyerId);
}

TEST_CASE("a price exactly at the cap is accepted", "[policy]") {
  // POLICY R3: model bid price 2000.00 = category cap 2000.00
  Counter c;
  c.add("TV-2000", 200000);
  const auto r = c.check();
  CHECK(r.findings.empty());
  CHECK(r.subsidy == 26000);
}

TEST_CASE("a price one fen over the cap is refused naming both amounts", "[policy]") {
  // POLICY R3: 2000.01 > 2000.00
  Counter c;
  c.add("TV-2000", 200001);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(f.code == FindingCode::PriceOverCap);
  CHECK(hn::finding_code_name(f.code) == "PRICE_OVER_CAP");
  CHECK(f.severity == Severity::Refuse);
  CHECK(f.item == 0);
  CHECK_THAT(f.message_zh, Catch::Contains("2000.01") && Catch::Contains("2000.00"));
  CHECK_THAT(f.message_en, Catch::Contains("2000.01") && Catch::Contains("2000.00"));
  CHECK(r.refused());
  CHECK(r.lines[0].subsidy == 0);
  CHECK(r.subsidy == 0);
}

TEST_CASE("a price above the model's bid price but below the category cap is refused", "[policy]") {
  // POLICY R3: the model cap 1999.00 binds below the category cap 2000.00
  Counter c;
  c.add("TV-1999", 199901);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(f.code == FindingCode::PriceOverCap);
  CHECK_THAT(f.message_en, Catch::Contains("1999.01") && Catch::Contains("1999.00") &&
                               Catch::Contains("TV-1999"));
  CHECK(r.lines[0].cap == 199900);
}

TEST_CASE("a model bid above the category cap sells at the category cap and not above",
          "[policy]") {
  // POLICY R3: bid 2500.00, category cap 2000.00: the category cap binds
  Counter at_cap;
  at_cap.add("TV-2500", 200000);
  const auto ok = at_cap.check();
  CHECK(ok.findings.empty());
  CHECK(ok.lines[0].cap == 200000);
  CHECK(ok.subsidy == 26000);

  Counter above;
  above.add("TV-2500", 200001);
  const auto r = above.check();
  const auto& f = only_finding(r);
  CHECK(f.code == FindingCode::PriceOverCap);
  CHECK_THAT(f.message_en, Catch::Contains("2000.01") && Catch::Contains("2000.00"));
  CHECK_THAT(f.message_en, !Catch::Contains("2500.00"));
  CHECK_THAT(f.message_zh, Catch::Contains("彩电"));
}

TEST_CASE("a zero or negative price is refused as invalid", "[policy]") {
  // POLICY R3 / S2: a subsidised sale has a price
  for (hn::Fen price : {hn::Fen{0}, hn::Fen{-100}}) {
    Counter c;
    c.add("TV-1999", price);
    const auto r = c.check();
    const auto& f = only_finding(r);
    CHECK(hn::finding_code_name(f.code) == "PRICE_INVALID");
    CHECK(f.item == 0);
    CHECK(r.subsidy == 0);
    CHECK(r.total == 0);
  }
}

TEST_CASE("a second TV for the same household is refused", "[policy]") {
  // POLICY R5: the household holds one TV, the limit is 1
  Counter c;
  c.ctx.history.held[Category::Tv] = 1;
  c.add("TV-1999", 199900);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(hn::finding_code_name(f.code) == "HOUSEHOLD_LIMIT");
  CHECK(f.item == 0);
  CHECK(f.message_en == "this household already has 1 TV (limit 1 per household)");
  CHECK(f.message_zh == "该户已购买彩电 1 台,每户限购 1 台");
  CHECK(r.lines[0].subsidy == 0);
  CHECK(r.remaining.at(Category::Tv) == 0);
}

TEST_CASE("of two TVs in one cart the first is accepted and the second refused", "[policy]") {
  // POLICY R5: the cart counts towards the limit
  Counter c;
  c.add("TV-1999", 199900);
  c.add("TV-2000", 150000);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(f.code == FindingCode::HouseholdLimit);
  CHECK(f.item == 1);
  CHECK(r.lines[0].subsidy == 25987);
  CHECK(r.lines[1].subsidy == 0);
  CHECK(r.subsidy == 25987);
}

TEST_CASE("with a limit of two a household gets two TVs and not a third", "[policy]") {
  // POLICY R5: §15 and the April 2009 rules allow 2 per category
  Counter two("2009-04.ini");
  two.add("TV-1999", 199900);
  two.add("TV-2000", 200000);
  CHECK(two.check().findings.empty());

  Counter three("2009-04.ini");
  three.add("TV-1999", 199900);
  three.add("TV-2000", 200000);
  three.add("TV-2500", 250000);
  const auto r = three.check();
  const auto& f = only_finding(r);
  CHECK(f.code == FindingCode::HouseholdLimit);
  CHECK(f.item == 2);
  CHECK_THAT(f.message_en, Catch::Contains("already has 2") && Catch::Contains("limit 2"));
}

TEST_CASE("a TV after a returned TV is accepted", "[policy]") {
  // POLICY R6: the return gave the quota back; the store's history holds 0 TVs again
  Counter before_return;
  before_return.ctx.history.held[Category::Tv] = 1;
  before_return.add("TV-1999", 199900);
  CHECK(before_return.check().refused());

  Counter after_return;
  after_return.ctx.history.held[Category::Tv] = 0;
  after_return.add("TV-1999", 199900);
  const auto r = after_return.check();
  CHECK(r.findings.empty());
  CHECK(r.subsidy == 25987);
}

TEST_CASE("the TV limit does not touch other categories", "[policy]") {
  // POLICY R5: the limit is per category
  Counter c;
  c.ctx.history.held[Category::Tv] = 1;
  c.add("FRIDGE-1799", 179900);
  c.add("PHONE-599", 59900);
  c.add("WASHER-1099", 109900);
  const auto r = c.check();
  CHECK(r.findings.empty());
}

TEST_CASE("a buyer with a non-agricultural household is refused", "[policy]") {
  // POLICY R4
  Counter c;
  c.cart.buyer.hukou = hn::Hukou::NonAgricultural;
  c.add("TV-1999", 199900);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(hn::finding_code_name(f.code) == "BUYER_NOT_ELIGIBLE");
  CHECK(f.item == -1);
  CHECK(r.refused());
  CHECK(f.message_zh == "非农业户口不能享受家电下乡补贴");
}

TEST_CASE("a buyer without name or household number is refused", "[policy]") {
  // POLICY R4: identified by ID card and household register
  Counter c;
  c.cart.buyer.name = "";
  c.cart.buyer.household = "";
  c.add("TV-1999", 199900);
  const auto r = c.check();
  REQUIRE(codes(r) == Codes{"BUYER_INCOMPLETE", "BUYER_INCOMPLETE"});
  CHECK(r.findings[0].message_en == "enter the buyer's name");
  CHECK(r.findings[1].message_en == "enter the household number from the household register");
}

TEST_CASE("every kind of invalid ID number is refused with its own message", "[policy]") {
  // POLICY R4: the buyer is identified by the resident ID card
  struct Case {
    const char* id;
    const char* message_en_part;
  };
  const Case cases[] = {
      {"", "enter the buyer's ID number"},       {"34082219800101001", "must have 18 characters"},
      {"34082219800101001A", "only digits"},     {"990822198001010013", "valid province code"},
      {"340822198302290047", "not a real date"},  // 1983-02-29, check digit right
      {"340822198001010014", "check digit"},
  };
  for (const auto& k : cases) {
    INFO("id '" << k.id << "'");
    Counter c;
    c.cart.buyer.id_text = k.id;
    c.add("TV-1999", 199900);
    const auto r = c.check();
    const auto& f = only_finding(r);
    CHECK(hn::finding_code_name(f.code) == "ID_INVALID");
    CHECK(f.severity == Severity::Refuse);
    CHECK(f.item == -1);
    CHECK_THAT(f.message_en, Catch::Contains(k.message_en_part));
    CHECK_FALSE(f.message_zh.empty());
    CHECK_FALSE(r.buyer_id);
  }
}

TEST_CASE("an ID number born after today is refused", "[policy]") {
  // POLICY R4. 340822 20090116 001: 121 + 2*2+0+0+9*3+0+1*9+1*10+6*5+0+0+1*2 = 203 -> 5 -> '7'
  Counter c;
  c.cart.buyer.id_text = "340822200901160017";
  c.add("TV-1999", 199900);
  const auto r = c.check();
  REQUIRE(codes(r) == Codes{"ID_INVALID"});
  CHECK_THAT(r.findings[0].message_en, Catch::Contains("birth date"));
}

TEST_CASE("an ID message masks the number", "[policy]") {
  // POLICY R4; messages reach screens and logs, the full number only the invoice (S4)
  Counter c;
  c.cart.buyer.id_text = "340822198001010014";
  c.add("TV-1999", 199900);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK_THAT(f.message_zh, !Catch::Contains("340822198001010014"));
  CHECK_THAT(f.message_en, !Catch::Contains("340822198001010014"));
  CHECK_THAT(f.message_zh, !Catch::Contains("19800101"));
  CHECK_THAT(f.message_zh, Catch::Contains("3408**********0014"));
  CHECK_THAT(f.message_en, Catch::Contains("3408**********0014"));
}

TEST_CASE("an unknown label card is refused", "[policy]") {
  // POLICY S1: no record of the card
  Counter c;
  c.cart.items.push_back({"34089999999999999999", "", 199900});
  c.ctx.cards.push_back(std::nullopt);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(hn::finding_code_name(f.code) == "CARD_UNKNOWN");
  CHECK(f.item == 0);
  CHECK_THAT(f.message_en, Catch::Contains("34089999999999999999"));
  CHECK_FALSE(r.lines[0].model);
}

TEST_CASE("a card missing from the context's records is unknown", "[policy]") {
  // POLICY S1: fewer records than items means no record for the rest
  Counter c;
  c.cart.items.push_back({"34089999999999999999", "", 199900});
  const auto r = c.check();
  CHECK(codes(r) == Codes{"CARD_UNKNOWN"});
}

TEST_CASE("a malformed card number is refused as unknown with a format message", "[policy]") {
  // POLICY S1
  Counter c;
  c.add_card("3408 0100", "TV-1999", 199900);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(f.code == FindingCode::CardUnknown);
  CHECK_THAT(f.message_en, Catch::Contains("malformed"));
}

TEST_CASE("a card this outlet never received is refused", "[policy]") {
  // POLICY R8: CARD_NOT_RECEIVED
  Counter c;
  c.add("TV-1999", 199900, CardStatus::NotReceived);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(hn::finding_code_name(f.code) == "CARD_NOT_RECEIVED");
  CHECK(f.item == 0);
  CHECK(r.subsidy == 0);
}

TEST_CASE("a card already sold is refused", "[policy]") {
  // POLICY S1: a card can be sold once
  Counter c;
  c.add("TV-1999", 199900, CardStatus::Sold);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(hn::finding_code_name(f.code) == "CARD_ALREADY_SOLD");
  CHECK_THAT(f.message_en, Catch::Contains("already been sold"));
}

TEST_CASE("a returned card is refused as already sold", "[policy]") {
  // POLICY S1, R6: the card of a returned unit is destroyed
  Counter c;
  c.add("TV-1999", 199900, CardStatus::Returned);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(hn::finding_code_name(f.code) == "CARD_ALREADY_SOLD");
  CHECK_THAT(f.message_en, Catch::Contains("returned"));
}

TEST_CASE("a card with status unknown is refused as unknown", "[policy]") {
  // POLICY S1
  Counter c;
  c.add("TV-1999", 199900, CardStatus::Unknown);
  CHECK(codes(c.check()) == Codes{"CARD_UNKNOWN"});
}

TEST_CASE("the same card twice in one cart is refused on its second line", "[policy]") {
  // POLICY S1: one card, one unit
  Counter c;
  c.add_card("34080200000000020001", "FRIDGE-1799", 179900);
  c.add_card("34080200000000020001", "FRIDGE-1799", 179900);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(f.code == FindingCode::CardAlreadySold);
  CHECK(f.item == 1);
  CHECK_THAT(f.message_en, Catch::Contains("twice"));
  CHECK(r.lines[0].subsidy == 23387);
  CHECK(r.lines[1].subsidy == 0);
}

TEST_CASE("a serial that differs from the card's serial is refused", "[policy]") {
  // POLICY S1: the card must match the product sold
  Counter c;
  c.add_card("34080100000000010001", "TV-1999", 199900, CardStatus::InStock, "SN-OTHER-UNIT");
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(hn::finding_code_name(f.code) == "CARD_SERIAL_MISMATCH");
  CHECK(f.item == 0);
  CHECK_THAT(f.message_en,
             Catch::Contains("SN-OTHER-UNIT") && Catch::Contains("SN-34080100000000010001"));
  CHECK(r.lines[0].subsidy == 0);
}

TEST_CASE("a matching serial is accepted", "[policy]") {
  // POLICY S1
  Counter c;
  c.add_card("34080100000000010001", "TV-1999", 199900, CardStatus::InStock,
             "SN-34080100000000010001");
  CHECK(c.check().findings.empty());
}

TEST_CASE("an empty serial takes the serial registered with the card", "[policy]") {
  // POLICY S1, S5: the line carries card and serial for the upload
  Counter c;
  c.add_card("34080100000000010001", "TV-1999", 199900);
  const auto r = c.check();
  CHECK(r.findings.empty());
  CHECK(r.lines[0].serial_no == "SN-34080100000000010001");
  CHECK(r.lines[0].card_no == "34080100000000010001");
}

TEST_CASE("a card for a model not in the catalog is refused", "[policy]") {
  // POLICY R1
  Counter c;
  c.add("SONY-KDL32", 199900);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(hn::finding_code_name(f.code) == "MODEL_NOT_ELIGIBLE");
  CHECK_THAT(f.message_en, Catch::Contains("SONY-KDL32") && Catch::Contains("not in"));
  CHECK_FALSE(r.lines[0].model);
}

TEST_CASE("a model sold before its catalog validity starts is refused", "[policy]") {
  // POLICY R1: TV-LATE is in the catalog from 2009-03-01; today is 2009-01-15
  Counter c;
  c.add("TV-LATE", 99900);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(f.code == FindingCode::ModelNotEligible);
  CHECK_THAT(f.message_en, Catch::Contains("2009-03-01"));
}

TEST_CASE("a model sold after its catalog validity ended is refused", "[policy]") {
  // POLICY R1: TV-SHORT left the catalog on 2009-01-31
  Counter c;
  c.ctx.today = Date{2009, 2, 1};
  c.add("TV-SHORT", 99900);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(f.code == FindingCode::ModelNotEligible);
  CHECK_THAT(f.message_en, Catch::Contains("2009-01-31"));
}

TEST_CASE("a model is sold on the first and the last day of its validity", "[policy]") {
  // POLICY R1: validity boundaries are inclusive
  Counter first;
  first.ctx.today = Date{2008, 12, 1};
  first.add("TV-SHORT", 99900);
  CHECK(first.check().findings.empty());
  Counter last;
  last.ctx.today = Date{2009, 1, 31};
  last.add("TV-SHORT", 99900);
  CHECK(last.check().findings.empty());
}

TEST_CASE("a computer is not eligible while the phase leaves the category inactive", "[policy]") {
  // POLICY R2: computers join in the April 2009 phase
  Counter c;
  c.add("PC-3499", 349900);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(hn::finding_code_name(f.code) == "MODEL_NOT_ELIGIBLE");
  CHECK_THAT(f.message_en, Catch::Contains("computer") && Catch::Contains("2008-12"));
  CHECK(r.lines[0].subsidy == 0);
  CHECK(r.subsidy == 0);
}

TEST_CASE("a computer is eligible once the phase enables it", "[policy]") {
  // POLICY R2: 3499.00 * 13% = 454.87
  Counter c("2009-04.ini");
  c.ctx.today = Date{2009, 5, 4};
  c.add("PC-3499", 349900);
  const auto r = c.check();
  CHECK(r.findings.empty());
  CHECK(r.subsidy == 45487);
}

TEST_CASE("an empty cart is refused", "[policy]") {
  // POLICY S3: an invoice has at least one product
  Counter c;
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(hn::finding_code_name(f.code) == "INVOICE_EMPTY");
  CHECK(f.item == -1);
  CHECK(r.lines.empty());
  CHECK(r.total == 0);
}

TEST_CASE("a buyer from another county is a warning by default", "[policy]") {
  // POLICY R7: warn is the default; the sale goes through with its subsidy
  Counter c;
  c.cart.buyer.id_text = kOtherCountyId;
  c.add("TV-1999", 199900);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(hn::finding_code_name(f.code) == "COUNTY_MISMATCH");
  CHECK(f.severity == Severity::Warn);
  CHECK(hn::severity_name(f.severity) == "warn");
  CHECK(f.item == -1);
  CHECK_THAT(f.message_en, Catch::Contains("340823") && Catch::Contains("340822"));
  CHECK_FALSE(r.refused());
  CHECK(r.subsidy == 25987);
}

TEST_CASE("a buyer from another county is refused when the phase says refuse", "[policy]") {
  // POLICY R7: refusing is a setting
  Counter c;
  hn::PolicyOverrides o;
  o.county_mismatch = hn::MismatchAction::Refuse;
  c.policy = hn::apply_overrides(c.policy, o);
  c.cart.buyer.id_text = kOtherCountyId;
  c.add("TV-1999", 199900);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(f.code == FindingCode::CountyMismatch);
  CHECK(f.severity == Severity::Refuse);
  CHECK(r.refused());
}

TEST_CASE("the county from the household address overrides the ID number's prefix", "[policy]") {
  // POLICY R7: the household may have moved since the ID number was issued
  Counter moved_away;  // ID says 340822 (the outlet's county), the address says 340823
  moved_away.cart.buyer.county = "340823";
  moved_away.add("TV-1999", 199900);
  const auto r = moved_away.check();
  const auto& f = only_finding(r);
  CHECK(f.code == FindingCode::CountyMismatch);
  CHECK_THAT(f.message_en, Catch::Contains("county 340823"));

  Counter moved_here;  // ID says 340823, the address says the outlet's county
  moved_here.cart.buyer.id_text = kOtherCountyId;
  moved_here.cart.buyer.county = kOutletCounty;
  moved_here.add("TV-1999", 199900);
  CHECK(moved_here.check().findings.empty());
}

TEST_CASE("the remaining quota is reported per active category", "[policy]") {
  // POLICY R5: the household holds 1 TV and buys a phone now, 2 of each allowed
  Counter c("2009-04.ini");
  c.ctx.history.held[Category::Tv] = 1;
  c.add("PHONE-599", 59900);
  const auto r = c.check();
  CHECK(r.findings.empty());
  CHECK(r.remaining.size() == 9);
  CHECK(r.remaining.at(Category::Tv) == 1);
  CHECK(r.remaining.at(Category::Phone) == 1);
  CHECK(r.remaining.at(Category::Fridge) == 2);
  CHECK(r.remaining.at(Category::Microwave) == 2);
}

TEST_CASE("the remaining quota lists only the phase's active categories", "[policy]") {
  // POLICY R2, R5: in December 2008 four categories, one unit each
  Counter c;
  c.add("FRIDGE-1799", 179900);
  const auto r = c.check();
  CHECK(r.remaining.size() == 4);
  CHECK(r.remaining.at(Category::Fridge) == 0);
  CHECK(r.remaining.at(Category::Tv) == 1);
  CHECK(r.remaining.count(Category::Computer) == 0);
}

TEST_CASE("the remaining quota never goes below zero", "[policy]") {
  // POLICY R5: a history above the limit (e.g. the limit was lowered) shows 0, not -2
  Counter c;
  c.ctx.history.held[Category::Tv] = 3;
  c.add("PHONE-599", 59900);
  CHECK(c.check().remaining.at(Category::Tv) == 0);
}

TEST_CASE("every finding points at the item it concerns", "[policy]") {
  // POLICY S1, R3, R5: one cart, several problems, each on its own line
  Counter c;
  c.add("TV-1999", 199900);                     // 0: fine
  c.add("PHONE-599", 59900, CardStatus::Sold);  // 1: card sold
  c.add("FRIDGE-1799", 179901);                 // 2: over the bid price
  c.add("WASHER-1099", 109900);                 // 3: fine
  c.add("TV-2000", 150000);                     // 4: second TV
  const auto r = c.check();
  REQUIRE(r.findings.size() == 3);
  CHECK(r.findings[0].code == FindingCode::CardAlreadySold);
  CHECK(r.findings[0].item == 1);
  CHECK(r.findings[1].code == FindingCode::PriceOverCap);
  CHECK(r.findings[1].item == 2);
  CHECK(r.findings[2].code == FindingCode::HouseholdLimit);
  CHECK(r.findings[2].item == 4);
  REQUIRE(r.lines.size() == 5);
  CHECK(r.lines[0].subsidy == 25987);
  CHECK(r.lines[1].subsidy == 0);
  CHECK(r.lines[2].subsidy == 0);
  CHECK(r.lines[3].subsidy == 14287);  // 1099.00 * 13% = 142.87
  CHECK(r.lines[4].subsidy == 0);
}

TEST_CASE("several products on one invoice are accepted and summed exactly", "[policy]") {
  // POLICY S3: one buyer, several products (一人一票多品)
  Counter c;
  c.add("TV-1999", 199900);      // 259.87
  c.add("FRIDGE-1799", 179900);  // 233.87
  c.add("PHONE-599", 59900);     // 77.87
  const auto r = c.check();
  CHECK(r.findings.empty());
  REQUIRE(r.lines.size() == 3);
  CHECK(r.lines[0].subsidy == 25987);
  CHECK(r.lines[1].subsidy == 23387);
  CHECK(r.lines[2].subsidy == 7787);
  CHECK(r.total == 439700);   // 1999.00 + 1799.00 + 599.00 = 4397.00
  CHECK(r.subsidy == 57161);  // 259.87 + 233.87 + 77.87 = 571.61
}

TEST_CASE("the 2010 tiered subsidy pays a flat amount above the threshold", "[policy]") {
  // POLICY S2 and the 2010 revision: TV 13% up to 3500.00, 455.00 above
  Counter c("2010-06.ini");
  c.ctx.today = Date{2010, 7, 1};
  c.add("TV-6999", 599900);
  c.add("TV-1999", 199900);
  const auto r = c.check();
  CHECK(r.findings.empty());
  CHECK(r.lines[0].subsidy == 45500);
  CHECK(r.lines[1].subsidy == 25987);
  CHECK(r.subsidy == 71487);
}

TEST_CASE("the 2010 TV cap of 7000 still holds a model to its bid price", "[policy]") {
  // POLICY R3: bid 6999.00 under the category cap 7000.00
  Counter c("2010-06.ini");
  c.ctx.today = Date{2010, 7, 1};
  c.add("TV-6999", 700000);
  const auto r = c.check();
  const auto& f = only_finding(r);
  CHECK(f.code == FindingCode::PriceOverCap);
  CHECK_THAT(f.message_en, Catch::Contains("7000.00") && Catch::Contains("6999.00"));
}

TEST_CASE("a household limit raised by the manager is honoured", "[policy]") {
  // POLICY R5: N is settable per category
  Counter c;
  hn::PolicyOverrides o;
  o.household_limit[Category::Tv] = 2;
  c.policy = hn::apply_overrides(c.policy, o);
  c.ctx.history.held[Category::Tv] = 1;
  c.add("TV-1999", 199900);
  CHECK(c.check().findings.empty());
}

TEST_CASE("finding codes have stable names", "[policy]") {
  // POLICY (preamble): every rejection carries a stable reason code
  CHECK(hn::finding_code_name(FindingCode::IdInvalid) == "ID_INVALID");
  CHECK(hn::finding_code_name(FindingCode::BuyerNotEligible) == "BUYER_NOT_ELIGIBLE");
  CHECK(hn::finding_code_name(FindingCode::BuyerIncomplete) == "BUYER_INCOMPLETE");
  CHECK(hn::finding_code_name(FindingCode::CardUnknown) == "CARD_UNKNOWN");
  CHECK(hn::finding_code_name(FindingCode::CardNotReceived) == "CARD_NOT_RECEIVED");
  CHECK(hn::finding_code_name(FindingCode::CardAlreadySold) == "CARD_ALREADY_SOLD");
  CHECK(hn::finding_code_name(FindingCode::CardSerialMismatch) == "CARD_SERIAL_MISMATCH");
  CHECK(hn::finding_code_name(FindingCode::ModelNotEligible) == "MODEL_NOT_ELIGIBLE");
  CHECK(hn::finding_code_name(FindingCode::PriceInvalid) == "PRICE_INVALID");
  CHECK(hn::finding_code_name(FindingCode::PriceOverCap) == "PRICE_OVER_CAP");
  CHECK(hn::finding_code_name(FindingCode::HouseholdLimit) == "HOUSEHOLD_LIMIT");
  CHECK(hn::finding_code_name(FindingCode::CountyMismatch) == "COUNTY_MISMATCH");
  CHECK(hn::finding_code_name(FindingCode::InvoiceEmpty) == "INVOICE_EMPTY");
  CHECK(hn::severity_name(Severity::Refuse) == "refuse");
}

TEST_CASE("a finding's message fills in its placeholders in both languages", "[policy]") {
  // POLICY (preamble) and R3: a Chinese + English message with the numbers a clerk acts on
  const auto f = hn::make_finding(
      FindingCode::PriceOverCap, Severity::Refuse, 3, hn::FindingVariant::PriceOverCategoryCap,
      {{"price", "2100.00"}, {"cap", "2000.00"}, {"category_zh", "彩电"}, {"category_en", "TV"}});
  CHECK(f.item == 3);
  CHECK(f.message_zh == "价格 2100.00 元超过彩电限价 2000.00 元");
  CHECK(f.message_en == "price 2100.00 exceeds the cap 2000.00 for TV");
}

TEST_CASE("only refusals make a sale refused", "[policy]") {
  // POLICY R7: a warning leaves the sale to go through
  std::vector<Finding> findings;
  CHECK_FALSE(hn::has_refusal(findings));
  findings.push_back(hn::make_finding(FindingCode::CountyMismatch, Severity::Warn, -1));
  CHECK_FALSE(hn::has_refusal(findings));
  findings.push_back(hn::make_finding(FindingCode::InvoiceEmpty, Severity::Refuse, -1));
  CHECK(hn::has_refusal(findings));
}

TEST_CASE("hukou codes read and write both ways", "[policy]") {
  // POLICY R4: 农业户口 is what makes a buyer eligible
  CHECK(hn::hukou_code(hn::Hukou::Agricultural) == "agricultural");
  CHECK(hn::hukou_code(hn::Hukou::NonAgricultural) == "non-agricultural");
  CHECK(hn::parse_hukou("agricultural") == hn::Hukou::Agricultural);
  CHECK(hn::parse_hukou("non-agricultural") == hn::Hukou::NonAgricultural);
  CHECK_FALSE(hn::parse_hukou("农业"));
  CHECK_FALSE(hn::parse_hukou(""));
}

TEST_CASE("a card reserved to a held sale is refused with CARD_HELD naming it, and earns no subsidy", "[policy][hold]") {
  // POLICY S1 with issue 16: the unit set aside for a held sale is not sold to someone else.
  Counter c;
  c.add("TV-1999", 199900);
  c.add("FRIDGE-1799", 179900);
  c.ctx.held_by = {7, 0};
  const auto r = c.check();
  const Finding& f = only_finding(r);
  CHECK(hn::finding_code_name(f.code) == "CARD_HELD");
  CHECK(f.item == 0);
  CHECK(f.message_zh.find("#7") != std::string::npos);
  CHECK(f.message_en.find("held sale #7") != std::string::npos);
  CHECK(r.lines[0].subsidy == 0);
  CHECK(r.lines[1].subsidy == 23387);
}
