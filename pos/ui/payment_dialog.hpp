#pragma once
// The counter's payment step (issue 16): after F10's checks pass and before the sale is
// committed. Shows the amount due large; Enter alone takes it, exactly in cash (the commonest
// sale stays F10, Enter). The clerk may type the cash tendered (the change shows as they type),
// take a bank card (银行卡) or mobile payment (移动支付) with its reference, and split the amount
// over several payments. The rules are core/payment's (settle_payments): what it refuses is
// shown in the dialog with its code. Esc goes back to the cart and nothing is stored.
#include <optional>
#include <vector>

#include <wx/window.h>

#include "core/payment.hpp"

namespace hn::ui {

struct PaymentTaken {
  std::vector<Payment> payments;  // as core/payment settled them (never empty for due > 0)
  Fen change = 0;
  // Cash was handed over: the drawer opens. A sale paid by card or mobile alone keeps it shut.
  bool cash() const;
};

// Modal; nullopt when the clerk pressed Esc.
std::optional<PaymentTaken> take_payment(wxWindow* parent, Fen due);

}  // namespace hn::ui
