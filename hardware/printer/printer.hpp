#pragma once
// Printing an invoice, or a return's document (core/return_forms.hpp), somewhere named by a URI:
//   escpos+file:PATH[?paper=58|80]              a device file (/dev/usb/lp0) or a plain file
//   escpos+serial:PATH?baud=N[&paper=58|80]     a serial receipt printer
//   escpos+tcp://HOST[:PORT][?paper=58|80]      a network receipt printer (raw TCP, 9100)
//   pdf:PATH                                    an A4 PDF file
//   cups:QUEUE                                  an A4 PDF handed to `lp -d QUEUE`
// Paper defaults to 80 mm. Printing is a separate step after the sale's commit: nothing here
// touches the sale; a failure is an error value and the invoice can be printed again.
#include <memory>
#include <string>

#include "core/invoice.hpp"
#include "core/return_forms.hpp"
#include "printer/error.hpp"
#include "printer/receipt.hpp"

namespace hn::printer {

struct PrinterUri {
  enum class Kind { EscPosFile, EscPosSerial, EscPosTcp, Pdf, Cups };
  Kind kind = Kind::EscPosFile;
  std::string path;  // file, serial device, PDF path; the host for tcp; the queue for cups
  int port = 9100;   // tcp
  int baud = 0;      // serial
  Paper paper = Paper::Mm80;
};

Result<PrinterUri> parse_printer_uri(const std::string& uri);

class InvoicePrinter {
 public:
  virtual ~InvoicePrinter() = default;
  virtual Result<Done> print(const Invoice& invoice, const ReceiptOptions& options) = 0;
  // The subsidy refund form or a credit note: ESC/POS on the receipt printers (options.paper,
  // cut, drawer), an A4 page on pdf: and cups: (options unused there, as for invoices).
  virtual Result<Done> print_document(const Document& doc, const ReceiptOptions& options) = 0;
};

// Opens the printer: the file, the serial port, the TCP connection (and asks its status where
// it answers: no paper, cover open or offline are errors here), or checks that the PDF's
// directory is writable and that `lp` exists. Print only after this succeeded.
Result<std::unique_ptr<InvoicePrinter>> open_printer(const PrinterUri& uri);

}  // namespace hn::printer
