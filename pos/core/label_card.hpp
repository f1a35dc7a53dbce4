#pragma once
// 产品标识卡: the product label card. Each subsidised unit carries one, with a unique card
// number, registered to the outlet that received the unit (POLICY S1, R8).
#include <string>
#include <string_view>
#include <vector>

#include "core/catalog.hpp"

namespace hn {

// 1-32 characters of [A-Za-z0-9-].
bool is_valid_card_no(std::string_view card_no);
// A product serial: 1-64 characters of [A-Za-z0-9-_/.].
bool is_valid_serial_no(std::string_view serial_no);

enum class CardStatus {
  Unknown,      // no record of the card anywhere the caller can see
  NotReceived,  // the card exists but this outlet never registered receiving it
  InStock,      // received by this outlet, not sold
  Sold,
  Returned,     // taken back and destroyed on a return: never sellable again
};

struct LabelCard {
  std::string card_no;
  std::string serial_no;
  std::string model_code;
  CardStatus status = CardStatus::Unknown;
};

struct CardReceiptRow {
  int line = 0;
  std::string card_no;
  std::string serial_no;
  std::string model_code;
};

inline constexpr std::string_view kCardBatchHeader = "card_no,serial_no,model_code";

// The checks of one goods-receipt row on its own, shared by every file row and every pair
// scanned as the boxes arrive (issue 16): the card number's form, the serial's form, the model
// in the catalog, in that order. With `with_serial` false the serial is not looked at: a card
// just scanned, its serial still to come. `error` names the field (card_no, serial_no,
// model_code) and carries no line.
bool check_card_receipt_row(const CardReceiptRow& row, const Catalog& catalog, ImportMessage& error,
                            bool with_serial = true);

// Parses a goods-receipt file (header kCardBatchHeader): formats, duplicate cards and
// duplicate serials of a model within the file, and every model known to `catalog`.
bool parse_card_batch_csv(std::string_view text, const Catalog& catalog,
                          std::vector<CardReceiptRow>& out, ImportMessage& error);

}  // namespace hn
