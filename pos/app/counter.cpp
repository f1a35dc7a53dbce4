#include "app/counter.hpp"

#include <algorithm>

namespace hn::app {

void ScanDetector::key(std::int64_t at_ms) { times_.push_back(at_ms); }

bool ScanDetector::finish(std::int64_t at_ms) {
  times_.push_back(at_ms);
  const bool long_enough = static_cast<int>(times_.size()) - 1 >= min_length_;
  std::size_t gaps = 0, short_gaps = 0;
  for (std::size_t i = 1; i < times_.size(); ++i, ++gaps)
    if (times_[i] - times_[i - 1] <= max_gap_ms_) ++short_gaps;
  times_.clear();
  return long_enough && short_gaps * 4 >= gaps * 3;
}

ScanOutcome CounterSession::scan(const std::string& code, EntryMode mode,
                                 const std::function<bool(const std::string&)>& is_card) {
  const auto on_line = std::find_if(lines.begin(), lines.end(),
                                    [&](const CounterLine& l) { return l.card_no == code; });
  if (on_line != lines.end()) return ScanOutcome::AlreadyInCart;
  const bool card = is_card(code);
  if (!card && awaiting_serial_ >= 0) {
    auto& line = lines[static_cast<std::size_t>(awaiting_serial_)];
    line.serial_no = code;
    line.serial_entry = mode;
    awaiting_serial_ = -1;
    return ScanOutcome::SerialPaired;
  }
  // A card, or something no line waits for: a new line either way, so the engine can say
  // what is wrong with it (CARD_NOT_RECEIVED for a code this outlet never received).
  CounterLine line;
  line.card_no = code;
  line.card_entry = mode;
  lines.push_back(line);
  awaiting_serial_ = static_cast<int>(lines.size()) - 1;
  return card ? ScanOutcome::NewLine : ScanOutcome::NotACard;
}

void CounterSession::set_price(std::size_t line, Fen price) {
  if (line < lines.size()) lines[line].price = price;
}

void CounterSession::remove(std::size_t line) {
  if (line >= lines.size()) return;
  lines.erase(lines.begin() + static_cast<long>(line));
  if (awaiting_serial_ == static_cast<int>(line)) awaiting_serial_ = -1;
  else if (awaiting_serial_ > static_cast<int>(line)) --awaiting_serial_;
}

void CounterSession::clear() {
  buyer = Buyer{};
  lines.clear();
  held_id = 0;
  awaiting_serial_ = -1;
}

Cart CounterSession::cart(const std::vector<Fen>& caps) const {
  Cart c;
  c.buyer = buyer;
  c.held_id = held_id;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    // POLICY R3: the price defaults to the bid price and may only go down.
    const Fen price = l.price ? *l.price : (i < caps.size() ? caps[i] : 0);
    c.items.push_back({l.card_no, l.serial_no, price});
  }
  return c;
}

bool CounterSession::ready(const SaleCheck& check) const {
  if (lines.empty() || check.refused()) return false;
  return std::all_of(lines.begin(), lines.end(),
                     [](const CounterLine& l) { return !l.serial_no.empty() && l.price.value_or(1) > 0; });
}

std::pair<std::string, std::string> CounterSession::next_step(const SaleCheck* check) const {
  if (buyer.id_text.empty()) return {"请读身份证或输入身份证号码 (F2)", "read the ID card or type the ID number (F2)"};
  if (buyer.name.empty()) return {"请输入购买人姓名", "type the buyer's name"};
  if (buyer.household.empty()) return {"请输入户口簿户号", "type the household number"};
  if (lines.empty()) return {"请扫描产品标识卡 (F3)", "scan a label card (F3)"};
  if (awaiting_serial_ >= 0)
    return {"请扫描标识卡 " + lines[static_cast<std::size_t>(awaiting_serial_)].card_no + " 对应产品的序列号",
            "scan the serial of the product of card " + lines[static_cast<std::size_t>(awaiting_serial_)].card_no};
  if (check && check->refused()) return {"有不符合政策的项目,请按红色提示处理", "something is refused: see the red lines"};
  return {"可以结账 (F10),或继续扫描下一件", "ready to check out (F10), or scan the next product"};
}

}  // namespace hn::app
