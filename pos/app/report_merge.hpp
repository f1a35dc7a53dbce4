#pragma once
// `huinong report merge` (reports issue): a shop's report over the auditor export files of its
// terminals. Each file is verified first (store::verify_bundle: signature, journal chain,
// closings); only then are its figures read — from the signed journal (sales with their
// categories and clerks, returns, pre-returns, refused attempts) and the invoices (sale dates,
// upload state) — and the terminals' figures added up. Needs no database.
#include <string>
#include <vector>

#include "app/problem.hpp"
#include "core/calendar.hpp"
#include "core/report.hpp"
#include "store/audit_bundle.hpp"

namespace hn::app {

struct MergeInput {
  std::string path;
  std::string text;
};

struct MergedReport {
  DailyReport report;
  std::string outlet_name, outlet_code;  // of the first file; "" when the files' outlets differ
  std::vector<std::string> files;
};

// The figures of one verified export file over [from, to], the series from `series_from`;
// deadlines of pending sales against `calendar` as of `today`.
DailyFigures figures_from_bundle(const nlohmann::json& bundle, Date from, Date to, Date series_from,
                                 const HolidayCalendar& calendar, Date today);

// The period of an export file's sales and returns: [first day, last day]; nullopt when empty.
std::optional<std::pair<Date, Date>> bundle_period(const nlohmann::json& bundle);

// Verifies every file, then merges. A file that fails verification (or two files of the same
// terminal) refuses the whole merge: ProblemKind::VerificationFailed with the file and the
// first problem's code. Without `from`/`to`, the period is that of all the files' sales.
Result<MergedReport> merge_reports(const std::vector<MergeInput>& files, std::optional<Date> from,
                                   std::optional<Date> to, const HolidayCalendar& calendar, Date today,
                                   int central_share_percent);

}  // namespace hn::app
