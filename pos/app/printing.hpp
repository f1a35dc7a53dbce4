#pragma once
// The invoice printer as the shells (the counter screen, `huinong sale`) see it: a small port,
// implemented over hardware/printer by the adapter the mains register
// (hardware/printer/invoice_output.hpp), so neither shell includes a driver for the counter's
// work. Printing is always a separate step after the sale's commit: a printer that fails leaves
// the sale as it was, and the invoice can be printed again (a copy, 副本 COPY n).
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/problem.hpp"
#include "core/invoice.hpp"
#include "core/return_forms.hpp"

namespace hn::app {

class Terminal;

// A printer reached and found ready, for the printouts of one job, in order.
class PrintSession {
 public:
  virtual ~PrintSession() = default;
  // `open_drawer`: the sale's original receipt, or a completed return's refund paid out of the
  // drawer; honoured only when a drawer is set (device.cash_drawer escpos) on a receipt printer.
  virtual Result<Done> invoice(const Invoice& invoice, bool open_drawer) = 0;
  virtual Result<Done> document(const Document& doc, bool open_drawer) = 0;
};

class InvoiceOutput {
 public:
  virtual ~InvoiceOutput() = default;
  // Reaches the printer (the file, the serial port, the TCP connection, the PDF's directory, the
  // CUPS queue) and asks its status where it answers (DLE EOT: no paper, cover open, offline):
  // a failure here means nothing was printed. PRINTER_UNREACHABLE, PRINTER_NOT_READY, ...
  virtual Result<std::unique_ptr<PrintSession>> open() = 0;
  // The printer's URI, as set.
  virtual std::string describe() const = 0;

  // open() and one printout.
  Result<Done> print(const Invoice& invoice, bool open_drawer = false);
  Result<Done> print_document(const Document& doc, bool open_drawer = false);
  // open() alone: whether the printer is there and ready now (prints nothing).
  Result<Done> status();
};

// Which printer: a URI (core/printer_uri.hpp) and whether a cash drawer hangs on it.
struct PrinterChoice {
  std::string uri;  // "" = none: the invoice goes to files, as before a printer was set
  bool cash_drawer = false;
};

// Made by the adapter over hardware/printer; set once by each main before any printing.
using InvoiceOutputFactory = std::function<Result<std::unique_ptr<InvoiceOutput>>(const PrinterChoice&)>;
void set_invoice_output_factory(InvoiceOutputFactory factory);
// The output for `choice`: PRINTER_URI (bad input) for a malformed URI, PRINTER_NOT_SET when
// the choice is empty or no adapter is registered.
Result<std::unique_ptr<InvoiceOutput>> open_invoice_output(const PrinterChoice& choice);

// The terminal's settings (device.invoice_printer, device.cash_drawer), the URI replaced by
// `override_uri` when one is given (`--printer`). Reads the database: the worker's thread.
PrinterChoice printer_choice(Terminal& t, const std::optional<std::string>& override_uri = std::nullopt);

// A copy of an invoice, as `huinong reprint` makes it: the printer is reached first, then
// `make_copy` numbers the copy (Terminal::reprint: 副本 COPY n, journaled), then it prints. A
// printer that cannot be reached changes nothing; a failure while the copy goes out is still
// journaled (part of it may be on paper). Never opens the drawer.
Result<Invoice> reprint_invoice(InvoiceOutput& output, const std::function<Result<Invoice>()>& make_copy);

// The Devices page's test page (F9 → 7, Test print): a short page naming the printer, printed
// through the registered output like every other printout, so a page that comes out proves the
// path the invoices take. The drawer stays shut. PRINTER_URI for a malformed URI, PRINTER_NOT_SET,
// else what the printer said (PRINTER_UNREACHABLE, PRINTER_NOT_READY, PRINTER_WRITE, ...).
Document test_page(const std::string& uri);
Result<Done> print_test_page(const std::string& uri);

// "打印失败:... 这笔销售已经保存 ..." : a printer's problem as the clerk reads it, the sale first.
Problem print_failed(const Problem& printer_problem);

}  // namespace hn::app
