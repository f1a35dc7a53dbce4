#include "core/payment.hpp"

namespace hn {

std::string_view payment_method_code(PaymentMethod method) {
  switch (method) {
    case PaymentMethod::Cash: return "cash";
    case PaymentMethod::Card: return "card";
    case PaymentMethod::Mobile: return "mobile";
  }
  return "cash";
}

std::optional<PaymentMethod> parse_payment_method(std::string_view code) {
  if (code == "cash") return PaymentMethod::Cash;
  if (code == "card") return PaymentMethod::Card;
  if (code == "mobile") return PaymentMethod::Mobile;
  return std::nullopt;
}

std::string_view payment_method_name_zh(PaymentMethod method) {
  switch (method) {
    case PaymentMethod::Cash: return "现金";
    case PaymentMethod::Card: return "银行卡";
    case PaymentMethod::Mobile: return "移动支付";
  }
  return "现金";
}

std::string_view payment_method_name_en(PaymentMethod method) {
  switch (method) {
    case PaymentMethod::Cash: return "Cash";
    case PaymentMethod::Card: return "Card";
    case PaymentMethod::Mobile: return "Mobile";
  }
  return "Cash";
}

bool is_valid_payment_reference(std::string_view reference) {
  if (reference.empty() || reference.size() > 32) return false;
  for (const char ch : reference) {
    const bool ok = (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '-' ||
                    ch == '_';
    if (!ok) return false;
  }
  return true;
}

namespace {

Settlement refuse(Settlement s, std::string code, std::string zh, std::string en) {
  s.problem = PaymentProblem{std::move(code), std::move(zh), std::move(en)};
  return s;
}

std::string nth(std::size_t i) { return std::to_string(i + 1); }

}  // namespace

Settlement settle_payments(Fen due, std::vector<Payment> payments) {
  Settlement s;
  if (payments.empty()) {
    if (due > 0) payments.push_back({PaymentMethod::Cash, due, {}});
    s.payments = std::move(payments);
    s.paid = due;
    return s;
  }
  s.payments = std::move(payments);
  Fen cash = 0;
  Fen other = 0;
  for (std::size_t i = 0; i < s.payments.size(); ++i) {
    const Payment& p = s.payments[i];
    if (p.amount <= 0 || p.amount > kMaxAmount)
      return refuse(std::move(s), "PAYMENT_INVALID",
                    "第 " + nth(i) + " 笔付款金额不对:应大于 0 且不超过 " + format_yuan(kMaxAmount) + " 元",
                    "payment " + nth(i) + " has a wrong amount: it must be above 0 and at most " +
                        format_yuan(kMaxAmount) + " yuan");
    if (p.method == PaymentMethod::Cash) {
      if (!p.reference.empty())
        return refuse(std::move(s), "PAYMENT_INVALID", "第 " + nth(i) + " 笔付款是现金,不带参考号",
                      "payment " + nth(i) + " is cash and takes no reference");
      cash += p.amount;
      continue;
    }
    if (!is_valid_payment_reference(p.reference))
      return refuse(std::move(s), "PAYMENT_INVALID",
                    "第 " + nth(i) + " 笔付款(" + std::string(payment_method_name_zh(p.method)) +
                        ")需要参考号:1 到 32 个字母、数字、- 或 _,照刷卡单或支付凭证填写",
                    "payment " + nth(i) + " (" + std::string(payment_method_code(p.method)) +
                        ") needs its reference: 1 to 32 letters, digits, - or _, as on the slip");
    other += p.amount;
    if (other > due)
      return refuse(std::move(s), "PAYMENT_INVALID",
                    "第 " + nth(i) + " 笔付款(" + std::string(payment_method_name_zh(p.method)) +
                        ")超过了尚欠金额:银行卡和移动支付不找零,最多付 " +
                        format_yuan(due - (other - p.amount)) + " 元",
                    "payment " + nth(i) + " (" + std::string(payment_method_code(p.method)) +
                        ") is more than what remains due: card and mobile payments give no change, pay at most " +
                        format_yuan(due - (other - p.amount)) + " yuan");
  }
  s.paid = cash + other;
  if (s.paid < due)
    return refuse(std::move(s), "PAYMENT_SHORT",
                  "付款不足:应收 " + format_yuan(due) + " 元,实收 " + format_yuan(s.paid) + " 元,还差 " +
                      format_yuan(due - s.paid) + " 元;请补足付款",
                  "the payments fall short: due " + format_yuan(due) + ", paid " + format_yuan(s.paid) +
                      ", " + format_yuan(due - s.paid) + " missing; take the rest");
  s.change = s.paid - due;  // never more than the cash: the others stay within what is due
  return s;
}

bool takes_cash(const std::vector<Payment>& payments) {
  if (payments.empty()) return true;
  for (const auto& p : payments)
    if (p.method == PaymentMethod::Cash) return true;
  return false;
}

bool paid_exactly_in_cash(const std::vector<Payment>& payments, Fen due) {
  if (payments.empty()) return due == 0;
  return payments.size() == 1 && payments[0].method == PaymentMethod::Cash && payments[0].amount == due;
}

}  // namespace hn
