#pragma once
// The manager's report on A4 as PDF (cairo + pango, WenQuanYi Zen Hei embedded): title, outlet
// and period, the summary, the tables (category, clerk, refusals, pending uploads with their
// deadlines), a bar chart per category and a line of the daily amounts (the 30 days up to the
// day of a daily report, or the period's days). Pages break between table rows.
#include <string>

#include "core/report.hpp"
#include "printer/error.hpp"

namespace hn::printer {

Result<std::string> report_pdf(const DailyReport& report, const ReportHeading& heading);

}  // namespace hn::printer
