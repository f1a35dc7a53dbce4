#include "printer/invoice_output.hpp"

#include "printer/printer.hpp"

namespace hn::printer {

namespace {

app::Problem problem_of(const Error& e) {
  return app::Problem{app::ProblemKind::Internal, e.code, e.message_zh, e.message_en};
}

class DeviceSession final : public app::PrintSession {
 public:
  DeviceSession(std::unique_ptr<InvoicePrinter> printer, ReceiptOptions options, bool drawer)
      : printer_(std::move(printer)), options_(options), drawer_(drawer) {}
  app::Result<app::Done> invoice(const Invoice& invoice, bool open_drawer) override {
    const auto r = printer_->print(invoice, options(open_drawer));
    if (!r) return problem_of(r.error());
    return app::Done{};
  }
  app::Result<app::Done> document(const Document& doc, bool open_drawer) override {
    const auto r = printer_->print_document(doc, options(open_drawer));
    if (!r) return problem_of(r.error());
    return app::Done{};
  }

 private:
  ReceiptOptions options(bool open_drawer) const {
    ReceiptOptions o = options_;
    o.kick_drawer = drawer_ && open_drawer;
    return o;
  }
  std::unique_ptr<InvoicePrinter> printer_;
  ReceiptOptions options_;
  bool drawer_;
};

class DeviceOutput final : public app::InvoiceOutput {
 public:
  DeviceOutput(std::string text, PrinterUri uri, bool drawer)
      : text_(std::move(text)), uri_(std::move(uri)), drawer_(drawer) {}

  app::Result<std::unique_ptr<app::PrintSession>> open() override {
    auto printer = open_printer(uri_);
    if (!printer) return problem_of(printer.error());
    ReceiptOptions options;
    options.paper = uri_.paper;
    options.cut = true;
    // The drawer hangs on a receipt printer's kick-out connector; an A4 printer has none.
    const bool escpos = uri_.kind == PrinterUri::Kind::EscPosFile || uri_.kind == PrinterUri::Kind::EscPosSerial ||
                        uri_.kind == PrinterUri::Kind::EscPosTcp;
    return std::unique_ptr<app::PrintSession>(
        new DeviceSession(std::move(printer.value()), options, drawer_ && escpos));
  }
  std::string describe() const override { return text_; }

 private:
  std::string text_;
  PrinterUri uri_;
  bool drawer_;
};

}  // namespace

app::InvoiceOutputFactory invoice_output_factory() {
  return [](const app::PrinterChoice& choice) -> app::Result<std::unique_ptr<app::InvoiceOutput>> {
    const auto uri = parse_printer_uri(choice.uri);
    if (!uri) return app::bad_input(uri.error().code, uri.error().message_zh, uri.error().message_en);
    return std::unique_ptr<app::InvoiceOutput>(new DeviceOutput(choice.uri, uri.value(), choice.cash_drawer));
  };
}

}  // namespace hn::printer
