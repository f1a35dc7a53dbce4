#pragma once
// A return's paper (core/return_forms.hpp: the subsidy refund form, the credit note) on a
// receipt printer, with the invoice receipt's conventions: 32 columns on 58 mm paper, 48 on
// 80 mm, a CJK character two; the title bold and tall, centred; the number flush right; each
// row "label: value" (the value under its label when both do not fit a line); the notes; a
// signature line and a date for each signer, with room to sign and stamp.
#include <string>

#include "core/return_forms.hpp"
#include "printer/receipt.hpp"

namespace hn::printer {

// The ESC/POS bytes of the whole document, from initialisation to the cut (and the drawer
// kick when asked: a completed return pays the refund out of the drawer).
std::string document_bytes(const Document& doc, const ReceiptOptions& options);

}  // namespace hn::printer
