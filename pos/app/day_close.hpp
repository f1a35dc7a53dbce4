#pragma once
// The manager's day at the counter screen (issue 16): what the closing of a day will sign,
// shown before it is signed; the cash count as typed; the signed closing as a paper to print;
// and the period a report may cover. The CLI (`close day --cash-counted`, `report period`)
// validates with the same functions, so both shells refuse the same input with the same code.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/problem.hpp"
#include "app/terminal.hpp"
#include "core/return_forms.hpp"

namespace hn::app {

// A daily closing (Z): its canonical body (figures, journal range, grand total) and the
// terminal's signature over it.
struct Closing {
  std::string date;
  std::string body;
  std::string signature;
  nlohmann::json figures;  // the body, parsed
};

// The cash the manager counted, in yuan ("3998.00"): CASH_COUNT_INVALID when it is not a
// number of yuan with at most two decimals.
Result<Fen> parse_cash_counted(const std::string& text);

// A report period [from, to]: PERIOD_INVALID (from after to), PERIOD_TOO_LONG (over 10 years).
Result<Done> check_period(Date from, Date to);

// Why the closing of `date` cannot be made after `previous` (the closings so far) on `today`:
// DATE_IN_FUTURE, DAY_ALREADY_CLOSED, DAY_BEFORE_LAST_CLOSING (the audit issue: one closing a
// day, in order). Terminal::close_day refuses with exactly these.
std::optional<Problem> closing_refusal(const std::vector<Closing>& previous, Date date, Date today);

// What the closing of `date` would sign if made now: the figures of the journal since the
// previous closing (the body close_day builds, without the signature), and the refusal the
// closing would meet, if any. Writes nothing.
struct ClosingPreview {
  std::string date;
  nlohmann::json figures;  // sales_count, sales_total, sales_subsidy, payments, cash_net, ...
  std::optional<Problem> refusal;
};
ClosingPreview preview_closing(Terminal& t, Date date);

// The signed closing as a paper (the receipt printer or a text file): its figures, the cash
// count and difference, the signature, and a line for the manager's signature.
Document closing_document(const Closing& closing, const Outlet& outlet);

}  // namespace hn::app
