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

bool looks_like_card_no(const std::string& code) {
  return code.size() >= 12 && code.size() <= 32 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<Problem> household_problem(const std::string& household) {
  if (household.empty()) return std::nullopt;  // missing: the engine's BUYER_INCOMPLETE says so
  const bool form = household.size() >= 4 && household.size() <= 20 &&
                    std::all_of(household.begin(), household.end(),
                                [](char c) {
                                  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
                                }) &&
                    std::any_of(household.begin(), household.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (form) return std::nullopt;
  // POLICY R4: the 户口簿 identifies the household; its 户号 is letters and digits, never a name.
  return bad_input("HOUSEHOLD_FORM",
                   "户号 \"" + household + "\" 不是户口簿上的户号:户号为4到20位数字或字母,请照户口簿首页填写",
                   "\"" + household + "\" is not a household number: it is 4 to 20 digits or letters, as on the "
                   "first page of the household register");
}

ScanOutcome CounterSession::scan(const std::string& code, EntryMode mode,
                                 const std::function<bool(const std::string&)>& is_card, int selected) {
  scanned_line_ = -1;
  const auto on_line = std::find_if(lines.begin(), lines.end(),
                                    [&](const CounterLine& l) { return l.card_no == code; });
  if (on_line != lines.end()) {
    scanned_line_ = static_cast<int>(on_line - lines.begin());
    return ScanOutcome::AlreadyInCart;
  }
  const bool card = is_card(code);
  if (!card) {
    const auto serial_on_line = std::find_if(lines.begin(), lines.end(),
                                             [&](const CounterLine& l) { return l.serial_no == code; });
    if (serial_on_line != lines.end()) {
      scanned_line_ = static_cast<int>(serial_on_line - lines.begin());
      return ScanOutcome::SerialInCart;
    }
    // The line waiting for its serial takes it; else the line whose serial the last check
    // found wrong: the clerk rescans the right serial and that line is corrected in place.
    const int target = correction_target(selected);
    if (target >= 0) {
      auto& line = lines[static_cast<std::size_t>(target)];
      const bool had_serial = !line.serial_no.empty();
      line.serial_no = code;
      line.serial_entry = mode;
      if (awaiting_serial_ == target) awaiting_serial_ = -1;
      scanned_line_ = target;
      mismatched_.erase(std::remove(mismatched_.begin(), mismatched_.end(), line.card_no), mismatched_.end());
      return had_serial ? ScanOutcome::SerialReplaced : ScanOutcome::SerialPaired;
    }
    // Not on record and not a card's form: a serial with nowhere to go, never a new line.
    if (!looks_like_card_no(code)) return ScanOutcome::NoLineWaits;
  }
  // A card, or a card's form this terminal does not know: a new line either way, so the
  // engine can say what is wrong with it (CARD_NOT_RECEIVED, CARD_UNKNOWN).
  CounterLine line;
  line.card_no = code;
  line.card_entry = mode;
  lines.push_back(line);
  awaiting_serial_ = static_cast<int>(lines.size()) - 1;
  scanned_line_ = awaiting_serial_;
  return card ? ScanOutcome::NewLine : ScanOutcome::NotACard;
}

void CounterSession::checked(const SaleCheck& check) {
  mismatched_.clear();
  for (const auto& f : check.findings)
    if (f.code == FindingCode::CardSerialMismatch && f.item >= 0 && static_cast<std::size_t>(f.item) < lines.size())
      mismatched_.push_back(lines[static_cast<std::size_t>(f.item)].card_no);
}

bool CounterSession::mismatched(std::size_t line) const {
  return line < lines.size() &&
         std::find(mismatched_.begin(), mismatched_.end(), lines[line].card_no) != mismatched_.end();
}

int CounterSession::correction_target(int selected) const {
  const auto open = [this](int i) {
    return i >= 0 && static_cast<std::size_t>(i) < lines.size() &&
           (lines[static_cast<std::size_t>(i)].serial_no.empty() || mismatched(static_cast<std::size_t>(i)));
  };
  // The line the clerk chose, then the one just scanned, then the last wrong one, then any
  // line still without its serial.
  if (open(selected)) return selected;
  if (open(awaiting_serial_)) return awaiting_serial_;
  for (int i = static_cast<int>(lines.size()) - 1; i >= 0; --i)
    if (mismatched(static_cast<std::size_t>(i))) return i;
  for (int i = static_cast<int>(lines.size()) - 1; i >= 0; --i)
    if (lines[static_cast<std::size_t>(i)].serial_no.empty()) return i;
  return -1;
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
  scanned_line_ = -1;
  mismatched_.clear();
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
  if (lines.empty() || check.refused() || household_problem(buyer.household)) return false;
  return std::all_of(lines.begin(), lines.end(),
                     [](const CounterLine& l) { return !l.serial_no.empty() && l.price.value_or(1) > 0; });
}

std::pair<std::string, std::string> CounterSession::next_step(const SaleCheck* check) const {
  if (buyer.id_text.empty()) return {"请读身份证或输入身份证号码 (F2)", "read the ID card or type the ID number (F2)"};
  if (buyer.name.empty()) return {"请输入购买人姓名", "type the buyer's name"};
  if (buyer.household.empty()) return {"请输入户口簿户号", "type the household number"};
  if (const auto p = household_problem(buyer.household)) return {p->message_zh, p->message_en};
  if (lines.empty()) return {"请扫描产品标识卡 (F3)", "scan a label card (F3)"};
  if (awaiting_serial_ >= 0)
    return {"请扫描标识卡 " + lines[static_cast<std::size_t>(awaiting_serial_)].card_no + " 对应产品的序列号",
            "scan the serial of the product of card " + lines[static_cast<std::size_t>(awaiting_serial_)].card_no};
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (mismatched(i))
      return {"第 " + std::to_string(i + 1) + " 行的序列号与标识卡不符:扫描这台产品正确的序列号即可更正该行",
              "line " + std::to_string(i + 1) + ": the serial does not match its card: scan the right serial "
              "to correct that line"};
  if (check && check->refused()) return {"有不符合政策的项目,请按红色提示处理", "something is refused: see the red lines"};
  return {"可以结账 (F10),或继续扫描下一件", "ready to check out (F10), or scan the next product"};
}

std::vector<Blocker> CounterSession::blockers(const SaleCheck& check) const {
  std::vector<Blocker> out;
  if (lines.empty())
    out.push_back({"CART_EMPTY", -1, "还没有商品:请先扫描产品标识卡 (F3)", "nothing to sell yet: scan a label card (F3)"});
  if (auto p = household_problem(buyer.household)) out.push_back({p->code, -1, p->message_zh, p->message_en});
  for (const auto& f : check.findings)
    if (f.severity == Severity::Refuse && !(f.code == FindingCode::InvoiceEmpty && lines.empty()))
      out.push_back({std::string(finding_code_name(f.code)), f.item, f.message_zh, f.message_en});
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto n = std::to_string(i + 1);
    if (lines[i].serial_no.empty())  // the engine lets a line without serial pass: F10 does not
      out.push_back({"SERIAL_MISSING", static_cast<int>(i),
                     "第 " + n + " 行(标识卡 " + lines[i].card_no + ")还没有扫描产品序列号",
                     "line " + n + " (card " + lines[i].card_no + ") has no product serial yet: scan it"});
  }
  return out;
}

}  // namespace hn::app
