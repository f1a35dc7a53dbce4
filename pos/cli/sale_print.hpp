#pragma once
// `huinong sale`'s printing: after the commit, the invoice goes to `--printer URI`, else (when
// no --invoice-out either) to the terminal's device.invoice_printer, through the shells' port
// (app/printing.hpp). A failure never touches the sale: the command still exits 0, with a
// `print` object saying what went wrong and a warning on stderr.
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/printing.hpp"
#include "app/terminal.hpp"
#include "cli/common.hpp"

namespace hn::cli {

struct SalePrinter {
  std::unique_ptr<app::InvoiceOutput> output;  // empty: nothing to print on
  std::string uri;
};

// The printer a sale prints on, chosen before the sale so that a malformed --printer is bad
// input (exit 2, nothing sold). Empty when none applies.
app::Result<SalePrinter> choose_sale_printer(const Context& c, app::Terminal& t);

// Prints the committed sale's original (the drawer opened where one is set); the JSON `print`
// object: {"ok":true,"printer":URI} or {"ok":false,"printer","code","message_zh","message_en"}.
nlohmann::json print_sale(const Context& c, SalePrinter& printer, const Invoice& invoice);

}  // namespace hn::cli
