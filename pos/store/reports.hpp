#pragma once
// The report queries: the figures of a day or a period, refused checkouts, what waits for the
// province.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/records.hpp"
#include "core/report.hpp"
#include "store/platform_names.hpp"

namespace hn::store {

// How far a database has got: what a backup's report shows of the file it made or restores.
struct DatabaseFigures {
  std::int64_t sales = 0;
  std::int64_t last_invoice_no = 0;
  std::int64_t journal_seq = 0;
  std::string last_entry_at;
};

class Reports {
 public:
  explicit Reports(Database& db) : db_(db) {}
  DailyFigures daily_figures(Date date);  // the day, and the 30 days up to it for the chart
  // The figures of [from, to]; the series runs from `series_from` to `to`. Deadlines of the
  // pending days are the caller's (they need the calendar and today).
  DailyFigures figures(Date from, Date to, Date series_from);
  // Checkout attempts the rules refused (journal kind "sale_refused"), in time order.
  std::vector<RefusedAttempt> refused_attempts(Date from, Date to);
  // The first journal entry written at or after `at` (local ISO time); one past the last
  // when there is none.
  std::int64_t journal_first_seq_at_or_after(const std::string& at);
  int pending_uploads();
  // Sales not yet accepted by the province, counted per sale date, oldest first.
  std::vector<std::pair<Date, int>> pending_sales_by_date();
  // How many reprints of the invoice numbered `invoice_no` (as printed) the journal records.
  int reprints(const std::string& invoice_no);
  DatabaseFigures database_figures();

 private:
  Database& db_;
};

}  // namespace hn::store
