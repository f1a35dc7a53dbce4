#pragma once
// The invoice on A4 paper as PDF (cairo + pango), WenQuanYi Zen Hei embedded: POLICY S4's
// block (buyer's name, ID number, every label card) in the page's top-right corner, then the
// title, the sale's particulars, the products table, the totals and the claim note.
#include <string>

#include "core/invoice.hpp"
#include "printer/error.hpp"

namespace hn::printer {

inline constexpr const char* kInvoiceFont = "WenQuanYi Zen Hei";

// The PDF's bytes; an error when cairo cannot make one.
Result<std::string> invoice_pdf(const Invoice& invoice);

}  // namespace hn::printer
