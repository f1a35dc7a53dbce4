// 换货: the exchange rule (pos/core/exchange), every refusal and the one way through.
#include <catch2/catch.hpp>

#include "core/exchange.hpp"

using namespace hn;

namespace {
ExchangeFacts good() {
  ExchangeFacts f;
  f.old_card = "77010000000000000001";
  f.old_model = "HISENSE-TLM26V68";
  f.new_card = {"77010000000000000002", "SER-2", "HISENSE-TLM26V68", CardStatus::InStock};
  f.new_serial = "SER-2";
  return f;
}
std::string refusal(const ExchangeFacts& f) {
  const auto r = check_exchange(f);
  return r ? r->code : "";
}
}  // namespace

TEST_CASE("an exchange for an in-stock unit of the same model with its own serial goes ahead", "[exchange]") {
  CHECK_FALSE(check_exchange(good()).has_value());
}

TEST_CASE("an exchange is refused for a cancelled sale, a returned line or a return under way", "[exchange]") {
  auto f = good();
  f.sale_cancelled = true;
  CHECK(refusal(f) == "SALE_CANCELLED");
  f = good();
  f.item_returned = true;
  CHECK(refusal(f) == "ALREADY_RETURNED");
  f = good();
  f.return_open = true;
  CHECK(refusal(f) == "RETURN_ALREADY_OPEN");
}

TEST_CASE("the new card must be another valid card this outlet received and never sold", "[exchange]") {
  auto f = good();
  f.new_card.card_no = f.old_card;
  CHECK(refusal(f) == "EXCHANGE_SAME_CARD");
  f = good();
  f.new_card.card_no = "not a card!";
  CHECK(refusal(f) == "CARD_UNKNOWN");
  for (CardStatus s : {CardStatus::NotReceived, CardStatus::Unknown}) {  // POLICY R8
    f = good();
    f.new_card.status = s;
    CHECK(refusal(f) == "CARD_NOT_RECEIVED");
  }
  for (CardStatus s : {CardStatus::Sold, CardStatus::Returned}) {  // POLICY S1
    f = good();
    f.new_card.status = s;
    CHECK(refusal(f) == "CARD_ALREADY_SOLD");
  }
}

TEST_CASE("another model is a return and a new sale, not an exchange, and the serial must be the card's",
          "[exchange]") {
  auto f = good();
  f.new_card.model_code = "TCL-L22E9";
  const auto r = check_exchange(f);
  REQUIRE(r);
  CHECK(r->code == "EXCHANGE_MODEL_DIFFERS");
  CHECK(r->message_zh.find("TCL-L22E9") != std::string::npos);
  CHECK(r->message_en.find("return it and sell anew") != std::string::npos);
  f = good();
  f.new_serial = "SER-9";
  const auto s = check_exchange(f);
  REQUIRE(s);
  CHECK(s->code == "CARD_SERIAL_MISMATCH");
  CHECK(s->message_zh.find("SER-9") != std::string::npos);
  CHECK(s->message_en.find("SER-2") != std::string::npos);
}
