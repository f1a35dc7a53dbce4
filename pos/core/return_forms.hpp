#pragma once
// The paper of a return (POLICY "Returns"): the subsidy refund form (家电下乡补贴资金申报(退还)表)
// the buyer takes to the township finance office when the subsidy was paid, and the credit
// note (退货凭证) printed when a return completes. Both are kept 3 years with the voided
// invoice's copy. A Document is laid out once here and printed by hardware/printer on a
// receipt printer or A4; render_document_text is its plain-text form (files, tests).
#include <string>
#include <vector>

#include "core/catalog.hpp"
#include "core/date.hpp"
#include "core/money.hpp"

namespace hn {

struct DocumentRow {
  std::string label;  // bilingual, e.g. "发票号码 Invoice No"
  std::string value;
};

struct Document {
  std::string title;                  // Chinese title, printed large
  std::string subtitle;               // English title
  std::string number;                 // the document's own number, e.g. "R00000003"
  std::vector<DocumentRow> rows;      // label: value, in order
  std::vector<std::string> notes;     // paragraphs under the rows (what to do next)
  std::vector<std::string> signatures;  // signature / stamp lines, e.g. "购买人签字 Buyer:"
};

// What the refund form carries: the buyer (ID in full: the finance office identifies the
// buyer by it, as on the invoice), the invoice, the card, the product and the amounts.
struct RefundFormData {
  std::string form_no;  // "F" + 8 digits: the return request's number
  std::string outlet_code, outlet_name, county;
  std::string buyer_name, buyer_id, household;
  std::string invoice_no;  // 8 digits
  Date sale_date;
  std::string card_no, serial_no, model_code, brand, product_name;
  Category category = Category::Tv;
  Fen price = 0;
  Fen subsidy = 0;  // the amount the buyer repays
  LocalTime issued_at;
  std::string reason;
};

// What the credit note carries: the return, against which invoice and card, the refund. The
// buyer's ID is masked here (the invoice it refers to carries it in full).
struct CreditNoteData {
  std::string note_no;  // "C" + 8 digits: the completed return's number
  std::string outlet_code, outlet_name, terminal_id;
  std::string buyer_name, buyer_id_masked;
  std::string invoice_no;  // the invoice voided by this return (its number stays on record)
  std::string card_no, serial_no, model_code, brand, product_name;
  Fen refund = 0;             // paid back to the buyer (the price)
  Fen subsidy_returned = 0;   // the subsidy that no longer stands for this product
  std::string province_state; // how the subsidy stood: "not_claimed", "refunded", … (the
                              // wire codes of core/returns.hpp; printed in Chinese words)
  LocalTime completed_at;
  std::string approver_name;
  std::string reason;
};

Document refund_form(const RefundFormData& d);
Document credit_note(const CreditNoteData& d);

// Fixed width text (CJK two columns), `width` >= 32 columns (narrower is laid out at 32):
// the title centred, the number flush right, each row "label: value" (the label and then the
// value indented under it when both do not fit a line), the notes wrapped ("1. " items hang),
// and for each signature its label, room to sign, a line and a date. No line is wider than
// `width`; hardware/printer lays the paper out the same way (tests/hardware/printer checks it).
std::string render_document_text(const Document& doc, int width = 64);

}  // namespace hn
