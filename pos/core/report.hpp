#pragma once
// The store manager's daily figures. The store aggregates rows (it has the indexes); the
// rules of how the figures are split and rendered live here.
#include <map>
#include <string>

#include "core/catalog.hpp"
#include "core/date.hpp"
#include "core/money.hpp"

namespace hn {

struct CategoryTotals {
  int count = 0;  // items
  Fen total = 0;
  Fen subsidy = 0;
};

struct DailyFigures {
  Date date;
  int sales_count = 0;  // invoices issued that day
  std::map<Category, CategoryTotals> by_category;
  int returns_count = 0;  // items returned that day
  Fen returns_total = 0;
  Fen returns_subsidy = 0;
  int pending_upload = 0;  // sales the province has not yet accepted
};

struct DailyReport {
  DailyFigures figures;
  int items_count = 0;
  Fen total = 0;
  Fen subsidy = 0;
  Fen subsidy_central = 0;     // round-half-up of the central share of the subsidy
  Fen subsidy_provincial = 0;  // the rest, so the two always add up
};

DailyReport make_daily_report(const DailyFigures& figures, int central_share_percent);
std::string render_report_text(const DailyReport& report, const std::string& outlet_name);
std::string render_report_csv(const DailyReport& report);

}  // namespace hn
