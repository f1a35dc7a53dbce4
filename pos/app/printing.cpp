#include "app/printing.hpp"

#include <mutex>

#include "app/device_settings.hpp"
#include "app/terminal.hpp"

namespace hn::app {

namespace {

std::mutex g_factory_mutex;
InvoiceOutputFactory g_factory;

}  // namespace

Result<Done> InvoiceOutput::print(const Invoice& invoice, bool open_drawer) {
  auto session = open();
  if (!session) return session.problem();
  return session.value()->invoice(invoice, open_drawer);
}

Result<Done> InvoiceOutput::print_document(const Document& doc, bool open_drawer) {
  auto session = open();
  if (!session) return session.problem();
  return session.value()->document(doc, open_drawer);
}

Result<Done> InvoiceOutput::status() {
  auto session = open();
  if (!session) return session.problem();
  return Done{};
}

void set_invoice_output_factory(InvoiceOutputFactory factory) {
  std::lock_guard<std::mutex> lock(g_factory_mutex);
  g_factory = std::move(factory);
}

Result<std::unique_ptr<InvoiceOutput>> open_invoice_output(const PrinterChoice& choice) {
  InvoiceOutputFactory factory;
  {
    std::lock_guard<std::mutex> lock(g_factory_mutex);
    factory = g_factory;
  }
  if (choice.uri.empty() || !factory)
    return Problem{ProblemKind::Internal, "PRINTER_NOT_SET", "没有设置发票打印机(device.invoice_printer)",
                   "no invoice printer is set (device.invoice_printer)"};
  return factory(choice);
}

PrinterChoice printer_choice(Terminal& t, const std::optional<std::string>& override_uri) {
  const DeviceSettings d = t.settings().devices;
  PrinterChoice c;
  c.uri = override_uri ? *override_uri : d.invoice_printer;
  c.cash_drawer = d.cash_drawer == "escpos";
  return c;
}

Result<Invoice> reprint_invoice(InvoiceOutput& output, const std::function<Result<Invoice>()>& make_copy) {
  auto session = output.open();
  if (!session) return session.problem();
  auto copy = make_copy();
  if (!copy) return copy.problem();
  if (const auto printed = session.value()->invoice(copy.value(), false); !printed) return printed.problem();
  return copy;
}

Document test_page(const std::string& uri) {
  Document doc;
  doc.title = "打印测试";
  doc.subtitle = "Test print";
  doc.rows = {{"打印机 Printer", uri}};
  doc.notes = {"这一页能读出来,打印机就设置好了。", "If this page is readable, the printer is set up."};
  return doc;
}

Result<Done> print_test_page(const std::string& uri) {
  auto output = open_invoice_output(PrinterChoice{uri, false});
  if (!output) return output.problem();
  return output.value()->print_document(test_page(uri), false);
}

Problem print_failed(const Problem& p) {
  return Problem{ProblemKind::Internal, "PRINT_FAILED",
                 "打印失败:" + p.message_zh + "。这笔销售已经保存,不受影响;请检查打印机后重新打印(副本)。",
                 "printing failed: " + p.message_en +
                     ". The sale is saved and safe; check the printer and print it again (a copy)."};
}

}  // namespace hn::app
