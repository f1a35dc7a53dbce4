#include "core/exchange.hpp"

#include "core/text.hpp"

namespace hn {

std::optional<ExchangeRefusal> check_exchange(const ExchangeFacts& f) {
  const std::string& card = f.new_card.card_no;
  if (f.sale_cancelled)
    return ExchangeRefusal{"SALE_CANCELLED", "这笔销售已取消作废,不能换货",
                           "the sale was cancelled and its invoice voided: nothing to exchange"};
  if (f.item_returned)
    return ExchangeRefusal{"ALREADY_RETURNED", "标识卡 " + f.old_card + " 已经退货,不能换货",
                           "card " + f.old_card + " has already been returned: it cannot be exchanged"};
  if (f.return_open)
    return ExchangeRefusal{"RETURN_ALREADY_OPEN",
                           "标识卡 " + f.old_card + " 的退货正在办理:先撤销退货再换货",
                           "a return of card " + f.old_card + " is under way: withdraw it before an exchange"};
  if (card == f.old_card)
    return ExchangeRefusal{"EXCHANGE_SAME_CARD", "新标识卡与原标识卡相同:请扫描换给顾客的那台产品的标识卡",
                           "the new card is the old one: scan the card of the unit the buyer takes home"};
  if (!is_valid_card_no(card))
    return ExchangeRefusal{"CARD_UNKNOWN", quote_for_message(card) + " 不是产品标识卡号:请扫描新产品的标识卡",
                           quote_for_message(card) + " is not a label card number: scan the new product's card"};
  // POLICY S1: one card per product, sold once; R8: only a card this outlet received.
  switch (f.new_card.status) {
    case CardStatus::Unknown:
    case CardStatus::NotReceived:
      return ExchangeRefusal{"CARD_NOT_RECEIVED",
                             "标识卡 " + card + " 没有本网点的收货登记:先做收货登记再换货",
                             "card " + card + " was not received by this outlet: record its goods receipt first"};
    case CardStatus::Sold:
    case CardStatus::Returned:
      return ExchangeRefusal{"CARD_ALREADY_SOLD", "标识卡 " + card + " 已售出或已收回,不能再用",
                             "card " + card + " has already been sold or taken back: it cannot be used again"};
    case CardStatus::InStock:
      break;
  }
  // Another model is not an exchange: it is a return and a new sale at its own price.
  if (f.new_card.model_code != f.old_model)
    return ExchangeRefusal{"EXCHANGE_MODEL_DIFFERS",
                           "换货须同型号:原产品 " + f.old_model + ",新标识卡为 " + f.new_card.model_code +
                               "。不同型号请办理退货后重新销售",
                           "an exchange is for the same model: the product is " + f.old_model + ", the new card is for " +
                               f.new_card.model_code + ". For another model, return it and sell anew"};
  if (f.new_card.serial_no != f.new_serial)
    return ExchangeRefusal{"CARD_SERIAL_MISMATCH",
                           "标识卡 " + card + " 对应的序列号是 " + f.new_card.serial_no + ",扫描的是 " +
                               quote_for_message(f.new_serial),
                           "card " + card + " belongs to serial " + f.new_card.serial_no + ", the scan was " +
                               quote_for_message(f.new_serial)};
  return std::nullopt;
}

}  // namespace hn
