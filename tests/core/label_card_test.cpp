#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/label_card.hpp"
#include "test_files.hpp"

using hn::CardReceiptRow;
using hn::ImportMessage;

namespace {
hn::Catalog demo_catalog() {
  std::vector<hn::CatalogModel> models;
  ImportMessage error;
  if (!hn::parse_catalog_csv(hn_test::read_asset("demo/catalog.csv"), models, error))
    FAIL("the demo catalog does not import: " << error.text());
  hn::Catalog catalog;
  for (auto& m : models) catalog.put(std::move(m));
  return catalog;
}

hn::Catalog two_model_catalog() {
  hn::Catalog catalog;
  hn::CatalogModel tv;
  tv.model_code = "HISENSE-TLM26V68";
  tv.category = hn::Category::Tv;
  catalog.put(tv);
  hn::CatalogModel fridge;
  fridge.model_code = "HAIER-BCD-186KB";
  fridge.category = hn::Category::Fridge;
  catalog.put(fridge);
  return catalog;
}

const std::string kHeader = "card_no,serial_no,model_code\n";
// Lines 2 and 3.
const std::string kTwoRows =
    "34080100000000010001,TLM26V68-0811A00017,HISENSE-TLM26V68\n"
    "34080200000000020001,BCD186KB-0811Q04410,HAIER-BCD-186KB\n";

ImportMessage third_row_fails(const std::string& row) {
  std::vector<CardReceiptRow> out;
  ImportMessage error;
  REQUIRE_FALSE(
      hn::parse_card_batch_csv(kHeader + kTwoRows + row + "\n", two_model_catalog(), out, error));
  return error;
}
}  // namespace

TEST_CASE("a card number is 1 to 32 letters, digits or hyphens", "[card]") {
  CHECK(hn::is_valid_card_no("1"));
  CHECK(hn::is_valid_card_no("34080100000000010001"));
  CHECK(hn::is_valid_card_no("JD-2008-aZ09"));
  CHECK(hn::is_valid_card_no(std::string(32, '7')));
}

TEST_CASE("a card number of 33 characters is refused", "[card]") {
  CHECK_FALSE(hn::is_valid_card_no(std::string(33, '7')));
}

TEST_CASE("a card number with other characters or none is refused", "[card]") {
  CHECK_FALSE(hn::is_valid_card_no(""));
  CHECK_FALSE(hn::is_valid_card_no("3408 0100"));
  CHECK_FALSE(hn::is_valid_card_no("3408_0100"));
  CHECK_FALSE(hn::is_valid_card_no("3408.0100"));
  CHECK_FALSE(hn::is_valid_card_no("卡3408"));
  CHECK_FALSE(hn::is_valid_card_no("34080100\n"));
}

TEST_CASE("a product serial is 1 to 64 letters, digits or - _ / .", "[card]") {
  CHECK(hn::is_valid_serial_no("TLM26V68-0811A00017"));
  CHECK(hn::is_valid_serial_no("A_b/C.d-1"));
  CHECK(hn::is_valid_serial_no(std::string(64, 'S')));
  CHECK_FALSE(hn::is_valid_serial_no(std::string(65, 'S')));
  CHECK_FALSE(hn::is_valid_serial_no(""));
  CHECK_FALSE(hn::is_valid_serial_no("TLM 26"));
  CHECK_FALSE(hn::is_valid_serial_no("TLM,26"));
}

TEST_CASE("the shipped demo goods receipt imports against the demo catalog", "[card]") {
  std::vector<CardReceiptRow> rows;
  ImportMessage error;
  const bool ok =
      hn::parse_card_batch_csv(hn_test::read_asset("demo/cards.csv"), demo_catalog(), rows, error);
  INFO(error.text());
  REQUIRE(ok);
  REQUIRE(rows.size() == 60);  // 25 TV, 16 fridge, 12 phone, 7 washer
  CHECK(rows.front().line == 2);
  CHECK(rows.front().card_no == "34080100000000010001");
  CHECK(rows.front().serial_no == "TLM26V68-0811A00017");
  CHECK(rows.front().model_code == "HISENSE-TLM26V68");
  CHECK(rows.back().line == 61);
  CHECK(rows.back().card_no == "34080400000000040007");
  CHECK(rows.back().model_code == "MIDEA-XPB70-1186S");
}

TEST_CASE("a card listed twice in a receipt is refused on its second line", "[card]") {
  const auto e = third_row_fails("34080100000000010001,TLM26V68-0811A00099,HISENSE-TLM26V68");
  CHECK(e.line == 4);
  CHECK(e.field == "card_no");
  CHECK_THAT(e.message_en, Catch::Contains("34080100000000010001"));
}

TEST_CASE("a receipt row for a model not in the catalog is refused", "[card]") {
  const auto e = third_row_fails("34080100000000010003,XYZ-001,SONY-KDL32");
  CHECK(e.line == 4);
  CHECK(e.field == "model_code");
  CHECK_THAT(e.message_en, Catch::Contains("SONY-KDL32"));
}

TEST_CASE("a malformed serial in a receipt is refused", "[card]") {
  const auto e = third_row_fails("34080100000000010003,TLM26V68 0811,HISENSE-TLM26V68");
  CHECK(e.line == 4);
  CHECK(e.field == "serial_no");
  const auto empty = third_row_fails("34080100000000010003,,HISENSE-TLM26V68");
  CHECK(empty.line == 4);
  CHECK(empty.field == "serial_no");
}

TEST_CASE("the same serial twice for one model is refused", "[card]") {
  const auto e = third_row_fails("34080100000000010003,TLM26V68-0811A00017,HISENSE-TLM26V68");
  CHECK(e.line == 4);
  CHECK(e.field == "serial_no");
}

TEST_CASE("the same serial on two different models is accepted", "[card]") {
  std::vector<CardReceiptRow> out;
  ImportMessage error;
  CHECK(hn::parse_card_batch_csv(
      kHeader + kTwoRows + "34080200000000020002,TLM26V68-0811A00017,HAIER-BCD-186KB\n",
      two_model_catalog(), out, error));
  CHECK(out.size() == 3);
}

TEST_CASE("a malformed card number in a receipt is refused", "[card]") {
  const auto e = third_row_fails(std::string(33, '1') + ",TLM26V68-0811A00099,HISENSE-TLM26V68");
  CHECK(e.line == 4);
  CHECK(e.field == "card_no");
}

TEST_CASE("a receipt row with the wrong number of fields is refused", "[card]") {
  const auto e = third_row_fails("34080100000000010003,TLM26V68-0811A00099");
  CHECK(e.line == 4);
  CHECK(e.field.empty());
  CHECK_THAT(e.message_en, Catch::Contains("expected 3 fields, found 2"));
}

TEST_CASE("a receipt with the wrong header is refused on line 1", "[card]") {
  std::vector<CardReceiptRow> out;
  ImportMessage error;
  CHECK_FALSE(
      hn::parse_card_batch_csv("card,serial,model\n" + kTwoRows, two_model_catalog(), out, error));
  CHECK(error.line == 1);
}

TEST_CASE("a receipt with no cards is refused", "[card]") {
  std::vector<CardReceiptRow> out;
  ImportMessage error;
  CHECK_FALSE(hn::parse_card_batch_csv(kHeader, two_model_catalog(), out, error));
  CHECK(error.line == 0);
}

TEST_CASE("a scanned card is checked alone before its serial, and the pair as a file's row", "[card]") {
  const auto catalog = two_model_catalog();
  ImportMessage error;
  // The card just scanned: no serial yet, and none asked for.
  CHECK(hn::check_card_receipt_row({0, "34080100000000019201", "", "HISENSE-TLM26V68"}, catalog, error, false));
  CHECK_FALSE(hn::check_card_receipt_row({0, "34080100000000019201", "", "HISENSE-TLM26V68"}, catalog, error));
  CHECK(error.field == "serial_no");
  CHECK_FALSE(hn::check_card_receipt_row({0, "3408 0100", "", "HISENSE-TLM26V68"}, catalog, error, false));
  CHECK(error.field == "card_no");
  CHECK(error.line == 0);  // a scan has no row
  CHECK_FALSE(hn::check_card_receipt_row({0, "34080100000000019201", "S-1", "TCL-NOPE"}, catalog, error));
  CHECK(error.field == "model_code");
  CHECK(hn::check_card_receipt_row({0, "34080100000000019201", "TLM26V68-0812B00001", "HISENSE-TLM26V68"}, catalog, error));
}
