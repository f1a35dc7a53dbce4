#pragma once
// Exchanges for the same model (换货, POLICY "Returns" and S1): a faulty product is swapped at
// the outlet for another unit of the same model. The sale, its buyer, price and subsidy stay;
// the line takes the new unit's label card and serial, and the old card is taken back for good.
// Pure: the terminal and the sandbox province each gather the facts from their own records and
// ask this one rule.
#include <optional>
#include <string>

#include "core/label_card.hpp"

namespace hn {

struct ExchangeFacts {
  std::string old_card;
  std::string old_model;       // the model on the sale's line
  bool sale_cancelled = false;  // the sale was cancelled and its invoice voided
  bool item_returned = false;
  bool return_open = false;     // a return of the line is under way
  LabelCard new_card;           // the replacement's card as the records show it
  std::string new_serial;       // the serial scanned from the replacement
};

struct ExchangeRefusal {
  std::string code;
  std::string message_zh;
  std::string message_en;
};

// Nothing when the exchange may go ahead; otherwise the first reason it may not, with a stable
// code and what to do, in Chinese and English.
std::optional<ExchangeRefusal> check_exchange(const ExchangeFacts& facts);

}  // namespace hn
