#include "cli/sale_print.hpp"

#include <iostream>

namespace hn::cli {

using nlohmann::json;

app::Result<SalePrinter> choose_sale_printer(const Context& c, app::Terminal& t) {
  const auto flag = c.args.get("printer");
  const app::PrinterChoice choice = app::printer_choice(t, flag);
  // The setting applies when the command names no destination of its own.
  if (choice.uri.empty() || (!flag && c.args.get("invoice-out"))) return SalePrinter{};
  auto output = app::open_invoice_output(choice);
  if (!output) return output.problem();
  return SalePrinter{std::move(output.value()), choice.uri};
}

json print_sale(const Context& c, SalePrinter& printer, const Invoice& invoice) {
  if (!printer.output) return nullptr;
  // The drawer opens when cash was taken (issue 16), not for a sale paid by card or mobile alone.
  const auto printed = printer.output->print(invoice, /*open_drawer=*/takes_cash(invoice.payments));
  if (printed) {
    if (!c.json_out) std::cerr << "已打印发票 printed the invoice: " << printer.uri << "\n";
    return {{"ok", true}, {"printer", printer.uri}};
  }
  const app::Problem& p = printed.problem();
  const app::Problem said = app::print_failed(p);
  std::cerr << "警告 Warning [" << p.code << "]: " << said.message_zh << "\n  " << said.message_en
            << "\n  huinong reprint --user L --invoice " << invoice.invoice_no << " --printer URI\n";
  return {{"ok", false},
          {"printer", printer.uri},
          {"code", p.code},
          {"message_zh", said.message_zh},
          {"message_en", said.message_en}};
}

}  // namespace hn::cli
