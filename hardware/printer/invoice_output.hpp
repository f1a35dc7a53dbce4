#pragma once
// The adapter from the shells' printer port (pos/app/printing.hpp) to the drivers here: a
// printer URI opened with open_printer, the invoice as an ESC/POS receipt (58/80 mm, the cash
// drawer kicked where one is set) or an A4 PDF (pdf:, cups:). The mains register it once:
//   hn::app::set_invoice_output_factory(hn::printer::invoice_output_factory());
#include "app/printing.hpp"

namespace hn::printer {

app::InvoiceOutputFactory invoice_output_factory();

}  // namespace hn::printer
