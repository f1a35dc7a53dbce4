#pragma once
// The subsidised sale's invoice (POLICY S3, S4): one buyer, one or more products, and in the
// top-right corner the buyer's name, ID number and every label card number.
#include <cstdint>
#include <string>
#include <vector>

#include "core/catalog.hpp"
#include "core/date.hpp"
#include "core/money.hpp"
#include "core/payment.hpp"
#include "core/records.hpp"

namespace hn {

// A line of the invoice is a sale's item (core/records.hpp): its card, product, price and
// subsidy, and the card it replaced after an exchange.
using InvoiceLine = SaleItem;

struct Invoice {
  std::string invoice_no;  // 8-digit 发票号码
  LocalTime issued_at;
  std::string outlet_code;
  std::string outlet_name;
  std::string terminal_id;
  std::string clerk_name;
  std::string buyer_name;
  std::string buyer_id;  // in full: the invoice is where the policy demands it
  std::string household;
  std::vector<InvoiceLine> lines;
  Fen total = 0;
  Fen subsidy = 0;
  int copy_no = 0;       // 0: the original; n: "副本 COPY n"
  // What became of the invoice since it was issued, printed large under the title when set:
  // "已作废 VOID", "不享受补贴 NOT SUBSIDISED", "换货 EXCHANGED" (a copy printed after the fact
  // says so).
  std::string status;
  // How the buyer paid (issue 16) and the change given. Paid exactly in cash (or unknown: none),
  // the invoice says only "实收 Paid now"; otherwise each payment and the change get a line.
  std::vector<Payment> payments;
  Fen change = 0;
  // The signed QR code printed on the receipt (audit issue); empty when not made.
  std::string qr_payload;
};

std::string format_invoice_no(std::int64_t number);  // 8 digits, zero-padded

// The lines under the totals that say how the buyer paid (issue 16, "实收 / 找零"): one per
// payment ("实收 Paid 银行卡 Card (REF)") and the change ("找零 Change"), in the order paid.
// None when the sale was paid exactly in cash (or before payments were recorded): "实收 Paid
// now" says it all then. Every printout (text, receipt, A4, the counter's picture) uses these.
struct InvoicePaymentLine {
  std::string label;
  Fen amount = 0;
};
std::vector<InvoicePaymentLine> invoice_payment_lines(const Invoice& invoice);

// A fixed-width text layout (CJK counted as two columns), `width` columns wide, at least 40.
std::string render_invoice_text(const Invoice& invoice, int width = 64);

}  // namespace hn
