#pragma once
// Label cards (产品标识卡) and the goods receipts that brought them in; the stock view
// (stock.cpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/label_card.hpp"
#include "core/records.hpp"
#include "store/platform_names.hpp"

namespace hn::store {

class Cards {
 public:
  explicit Cards(Database& db) : db_(db) {}
  // A card this outlet never received reads as NotReceived (POLICY R8).
  std::optional<LabelCard> find(const std::string& card_no, const std::string& outlet_code);
  bool exists(const std::string& card_no);
  bool serial_exists(const std::string& model_code, const std::string& serial_no);
  std::int64_t add_goods_receipt(std::int64_t user_id, const std::string& source,
                                 const std::vector<CardReceiptRow>& rows,
                                 const std::string& outlet_code);
  std::int64_t count();
  // This outlet's label cards, in card order; `state` and `model_code` filter when not empty.
  std::vector<StockCard> list(const std::string& state, const std::string& model_code);
  // Goods received by scanning (stock.cpp, issue 16): a card added to an earlier goods receipt
  // of the same screen, its count raised; false when there is no such receipt of `source`.
  bool add_to_goods_receipt(std::int64_t receipt, const std::string& source, const CardReceiptRow& row,
                            const std::string& outlet_code);
  // The stock view (stock.cpp): per model, the cards in stock, sold and taken back.
  std::vector<StockCount> stock_by_model(const std::string& filter);
  // Cards with their goods receipt, by model then card; `filter` is a whole card number or a
  // part of a model code (any case), empty for all; at most `limit` rows.
  std::vector<StockEntry> stock_cards(const std::string& filter, int limit);
  // A card taken back on a return or an exchange: POLICY S1, never sellable again.
  void take_back(const std::string& card_no);
  // The card sold in `sale_id` (a sale, or an exchange's new card), which it names from then on
  // (Sales::find_by_card). False when it is not in stock or ever named a sale: a card is sold
  // once, whatever its state was set back to.
  bool sell(const std::string& card_no, std::int64_t sale_id);

 private:
  Database& db_;
};

}  // namespace hn::store
