#pragma once
// The invoice as a thermal receipt (ESC/POS): 58 mm paper has 32 columns of font A, 80 mm has
// 48; a CJK character takes two columns. POLICY S4's top-right block (buyer's name, ID number,
// every label card) comes first, flush right.
#include <string>
#include <vector>

#include "core/invoice.hpp"

namespace hn::printer {

enum class Paper { Mm58, Mm80 };
int paper_columns(Paper p);  // 32 or 48

struct ReceiptOptions {
  Paper paper = Paper::Mm80;
  bool cut = true;
  // Open the cash drawer: for the sale's original receipt; a reprint never opens it.
  bool kick_drawer = false;
};

// What the receipt's QR code holds: the invoice's signed payload (HNPOS2, made by the
// terminal), or for an invoice made without one (tests, old paper) the invoice number and totals.
std::string receipt_qr_payload(const Invoice& invoice);

// The ESC/POS bytes of the whole receipt, from initialisation to the cut (and the drawer kick
// when asked). "副本 COPY n" under the title when invoice.copy_no > 0.
std::string receipt_bytes(const Invoice& invoice, const ReceiptOptions& options);

// Greedy wrapping to `width` display columns: between CJK characters anywhere, Latin text
// at spaces (a word longer than the line is cut).
std::vector<std::string> wrap_text(const std::string& utf8, int width);

}  // namespace hn::printer
