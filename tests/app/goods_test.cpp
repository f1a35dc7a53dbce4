// Goods receipt by scanning (pos/app/goods.cpp, issue 16): each box's label card, then its
// serial, for the model the manager names; a pair is its own transaction and goes into the
// goods receipt of the pairs before it.
#include <catch2/catch.hpp>

#include "db_reader.hpp"
#include "test_terminal.hpp"

using namespace hn;
using namespace hn::app;

namespace {
constexpr const char* kTv1 = "34080100000000010001";
constexpr const char* kTv1Serial = "TLM26V68-0811A00017";
constexpr const char* kModel = "HISENSE-TLM26V68";

CardReceiptRow scanned(const std::string& card, const std::string& serial, const std::string& model = kModel) {
  return {0, card, serial, model};
}

std::int64_t goods_entries(const test::DbReader& db) {
  return db.scalar("SELECT COUNT(*) FROM journal WHERE kind = 'goods_receipt'");
}
}  // namespace

TEST_CASE("boxes scanned one by one go into one goods receipt, each journaled like a one-row file",
          "[app][goods]") {
  test::DemoTerminal o;
  const test::DbReader db(o.db());
  const auto before = goods_entries(db);
  const auto first = o.t->receive_card(o.manager, scanned(" 34080100000000019001 ", "TLM26V68-0811B00001"));
  REQUIRE(first.ok());
  CHECK(first->batch > 0);
  CHECK(first->row.card_no == "34080100000000019001");  // as scanned, without the spaces
  const auto second =
      o.t->receive_card(o.manager, scanned("34080100000000019002", "TLM26V68-0811B00002"), first->batch);
  REQUIRE(second.ok());
  CHECK(second->batch == first->batch);
  CHECK(goods_entries(db) == before + 2);
  CHECK(db.scalar("SELECT COUNT(*) FROM journal WHERE kind = 'goods_receipt' AND "
                  "json_extract(body, '$.source') = 'scan' AND json_extract(body, '$.cards') = 1") == 2);
  CHECK(db.column("SELECT state FROM label_cards WHERE card_no = '34080100000000019002'") ==
        std::vector<std::string>{"in_stock"});
  // A card received by scanning sells like one received from a file.
  CHECK(o.sell_tv("34080100000000019001", "3413220012"));
}

TEST_CASE("a box already received, of a model not in the catalog, with a bad serial or into no receipt writes nothing",
          "[app][goods]") {
  test::DemoTerminal o;
  const test::DbReader db(o.db());
  const auto cards = db.count("label_cards");
  const auto entries = goods_entries(db);
  CHECK(o.t->receive_card(o.manager, scanned(kTv1, "NEW-SERIAL-1")).problem().code == "CARD_ALREADY_RECEIVED");
  CHECK(o.t->receive_card(o.manager, scanned("34080100000000019003", kTv1Serial)).problem().code ==
        "SERIAL_ALREADY_RECEIVED");
  CHECK(o.t->receive_card(o.manager, scanned("34080100000000019003", "S-1", "NO-SUCH-MODEL")).problem().code ==
        "MODEL_UNKNOWN");  // POLICY R1
  CHECK(o.t->receive_card(o.manager, scanned("34080100000000019003", "bad serial!")).problem().code ==
        "SERIAL_INVALID");
  CHECK(o.t->receive_card(o.manager, scanned("34080100000000019003", "S-1"), 9999).problem().code ==
        "BATCH_UNKNOWN");
  CHECK(o.t->receive_card(o.clerk, scanned("34080100000000019003", "S-1")).problem().kind ==
        ProblemKind::NotPermitted);
  CHECK(db.count("label_cards") == cards);
  CHECK(goods_entries(db) == entries);
}

TEST_CASE("a card checked alone, before its serial is scanned, is checked against what was received and writes nothing",
          "[app][goods]") {
  test::DemoTerminal o;
  const test::DbReader db(o.db());
  const auto cards = db.count("label_cards");
  const auto journal = db.count("journal");
  CHECK(o.t->check_card_receipt(o.manager, scanned("34080100000000019004", "")).ok());
  CHECK(o.t->check_card_receipt(o.manager, scanned(kTv1, "")).problem().code == "CARD_ALREADY_RECEIVED");
  CHECK(o.t->check_card_receipt(o.manager, scanned("34080100000000019004", kTv1Serial)).problem().code ==
        "SERIAL_ALREADY_RECEIVED");
  CHECK(o.t->check_card_receipt(o.clerk, scanned("34080100000000019004", "")).problem().kind ==
        ProblemKind::NotPermitted);
  CHECK(db.count("label_cards") == cards);
  CHECK(db.count("journal") == journal);
}
