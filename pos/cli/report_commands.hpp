#pragma once
// `huinong report daily|period|merge` (reports issue).
#include "cli/common.hpp"

namespace hn::cli {

int cmd_report_daily(Context& c);
int cmd_report_period(Context& c);
// Needs no database: verifies and adds up auditor export files (exit 5 when one fails).
int cmd_report_merge(Context& c);

}  // namespace hn::cli
