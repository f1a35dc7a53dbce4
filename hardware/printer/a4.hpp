#pragma once
// The invoice on A4 paper as PDF (cairo + pango), WenQuanYi Zen Hei embedded: POLICY S4's
// block (buyer's name, ID number, every label card) in the page's top-right corner, then the
// title, the sale's particulars, the products table, the totals and the claim note. A return's
// documents (core/return_forms.hpp) are laid out here too, with the same font and margins.
#include <string>

#include "core/invoice.hpp"
#include "core/return_forms.hpp"
#include "printer/error.hpp"

namespace hn::printer {

inline constexpr const char* kInvoiceFont = "WenQuanYi Zen Hei";

// The PDF's bytes; an error when cairo cannot make one.
Result<std::string> invoice_pdf(const Invoice& invoice);

// A return's document (the subsidy refund form, the credit note) on A4: the title centred,
// the number top right, the rows as a two-column table, the notes, then a signature line and a
// date for each signer with room for the stamp. Pages break between rows when they must.
Result<std::string> document_pdf(const Document& doc);

}  // namespace hn::printer
