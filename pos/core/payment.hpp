#pragma once
// How the buyer pays for a sale (issue 16): cash, bank card (银行卡) or mobile payment (移动支付),
// split as the buyer likes. Pure rules: the amounts are fen, the references are checked text.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.hpp"

namespace hn {

enum class PaymentMethod { Cash, Card, Mobile };

struct Payment {
  PaymentMethod method = PaymentMethod::Cash;
  Fen amount = 0;         // what was handed over: for cash, tendered (change comes back from it)
  std::string reference;  // the card slip's or the mobile payment's reference; empty for cash
};

// "cash", "card", "mobile"; and back (nullopt for anything else).
std::string_view payment_method_code(PaymentMethod method);
std::optional<PaymentMethod> parse_payment_method(std::string_view code);
// "现金", "银行卡", "移动支付"; and "Cash", "Card", "Mobile".
std::string_view payment_method_name_zh(PaymentMethod method);
std::string_view payment_method_name_en(PaymentMethod method);

// A reference as a card terminal or a mobile payment prints it: 1 to 32 letters, digits, '-'
// or '_'.
bool is_valid_payment_reference(std::string_view reference);

// Why the payments do not settle the sale: PAYMENT_INVALID (an amount of zero or above the
// limit, a reference missing or malformed, a card or mobile payment above what remains due)
// or PAYMENT_SHORT (everything together does not cover the total). In both languages.
struct PaymentProblem {
  std::string code;
  std::string message_zh;
  std::string message_en;
};

struct Settlement {
  std::vector<Payment> payments;  // as given; none given: the amount due, exactly in cash
  Fen paid = 0;                   // the sum handed over
  Fen change = 0;                 // paid - due: comes back from the cash only
  std::optional<PaymentProblem> problem;
  bool ok() const { return !problem.has_value(); }
};

// Settles `due` with `payments`. Card and mobile payments together never exceed what is due
// (no change is given from them); the cash covers the rest and the change comes from it.
Settlement settle_payments(Fen due, std::vector<Payment> payments);

// Whether cash was handed over (the drawer opens then; a sale paid by card or mobile alone keeps
// it shut). No payments recorded: a sale from before payments, paid in cash.
bool takes_cash(const std::vector<Payment>& payments);

// Whether the payments are just the amount due in cash (the invoice then says no more).
bool paid_exactly_in_cash(const std::vector<Payment>& payments, Fen due);

}  // namespace hn
