// `cards receive --card C --serial S --model M`: one box received as it arrives (issue 16),
// through the same checks as a row of a card batch file, journaled like a file, and sold at
// once; a bad pair writes nothing.
#include <catch2/catch.hpp>

#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {
constexpr const char* kNewCard = "34080100000000019101";
constexpr const char* kNewSerial = "TLM26V68-0811A09901";
constexpr const char* kModel = "HISENSE-TLM26V68";

RunResult receive_one(const DemoOutlet& outlet, const std::string& card, const std::string& serial,
                      const std::string& model) {
  return outlet.as_manager(
      {"--json", "cards", "receive", "--user", d::kManager, "--card", card, "--serial", serial, "--model", model});
}
}  // namespace

TEST_CASE("a box received by its card, serial and model is journaled like a file and sells at once",
          "[cli][cards][import]") {
  DemoOutlet outlet;
  const auto r = receive_one(outlet, kNewCard, kNewSerial, kModel);
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  const auto j = r.json();
  CHECK(j.at("imported") == 1);
  CHECK(j.at("card") == kNewCard);
  CHECK(j.at("serial") == kNewSerial);
  CHECK(j.at("model") == kModel);
  const std::int64_t batch = j.at("batch");
  const DbReader db = outlet.reader();
  CHECK(db.scalar("SELECT COUNT(*) FROM label_cards WHERE card_no = '" + std::string(kNewCard) +
                  "' AND serial_no = '" + kNewSerial + "' AND state = 'in_stock' AND receipt_id = " +
                  std::to_string(batch)) == 1);
  CHECK(db.scalar("SELECT card_count FROM goods_receipts WHERE id = " + std::to_string(batch)) == 1);
  CHECK(db.scalar("SELECT COUNT(*) FROM journal WHERE kind = 'goods_receipt' AND user_login = 'wang' AND "
                  "json_extract(body, '$.receipt') = " + std::to_string(batch) +
                  " AND json_extract(body, '$.cards') = 1 AND json_extract(body, '$.first_card') = '" + kNewCard +
                  "' AND json_extract(body, '$.source') = 'scan'") == 1);

  const auto sold = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(kNewCard) + ":" + kNewSerial + "=1999.00"));
  INFO(sold.describe());
  CHECK(sold.exit_code == 0);
}

TEST_CASE("a scanned box is checked as a file's row and a bad one writes nothing", "[cli][cards][import]") {
  DemoOutlet outlet;
  const DbReader db = outlet.reader();
  const std::string receipts = "SELECT COUNT(*) FROM journal WHERE kind = 'goods_receipt'";
  const std::int64_t cards_before = db.count("label_cards"), journal_before = db.scalar(receipts);
  struct Bad {
    std::string card, serial, model, code;
  };
  const std::vector<Bad> bad{
      {"3408 0100", kNewSerial, kModel, "CARD_INVALID"},
      {kNewCard, "TLM26V68 0811", kModel, "SERIAL_INVALID"},
      {kNewCard, kNewSerial, "HISENSE-NOPE", "MODEL_UNKNOWN"},
      {d::kTv1, kNewSerial, kModel, "CARD_ALREADY_RECEIVED"},        // demo cards.csv, received
      {kNewCard, "TLM26V68-0811A00017", kModel, "SERIAL_ALREADY_RECEIVED"},  // kTv1's serial
  };
  for (const auto& b : bad) {
    const auto r = receive_one(outlet, b.card, b.serial, b.model);
    INFO(b.code << ": " << r.describe());
    CHECK(r.exit_code == 2);
    const auto& e = error_of(r.json());
    CHECK(e.at("code") == b.code);
    CHECK(has_cjk(e.at("message_zh").get<std::string>()));
    // A scan is not a file: no row number, no English field name in the Chinese words.
    CHECK_FALSE(contains(e.at("message_zh").get<std::string>(), "第 "));
    CHECK_FALSE(contains(e.at("message_zh").get<std::string>(), "_no"));
  }
  CHECK(db.count("label_cards") == cards_before);
  CHECK(db.scalar(receipts) == journal_before);
  CHECK(db.count("goods_receipts") == 1);  // the demo file's only

  const auto clerk = outlet.as_clerk(
      {"--json", "cards", "receive", "--user", d::kClerk, "--card", kNewCard, "--serial", kNewSerial, "--model", kModel});
  INFO(clerk.describe());
  CHECK(clerk.exit_code == 4);
  const auto missing = outlet.as_manager({"--json", "cards", "receive", "--user", d::kManager, "--card", kNewCard});
  INFO(missing.describe());
  CHECK(missing.exit_code == 2);
  CHECK(db.count("label_cards") == cards_before);
}
