#pragma once
// The store manager's reports: the day (日报) and a period, for one terminal or merged over the
// terminals of a shop. The store (or an auditor's export file) aggregates rows; the rules of how
// the figures are split, merged and rendered live here.
#include <map>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "core/catalog.hpp"
#include "core/date.hpp"
#include "core/money.hpp"

namespace hn {

struct CategoryTotals {
  int count = 0;  // items
  Fen total = 0;
  Fen subsidy = 0;
};

// What one clerk (营业员) did in the period: the sales issued under their login.
struct ClerkTotals {
  std::string name;
  int sales = 0;  // invoices
  int items = 0;
  Fen total = 0;
  Fen subsidy = 0;
  int refused = 0;  // checkout attempts the rules refused
};

// What the buyers paid with one method (issue 16): cash as tendered, the change given apart.
struct PaymentTotals {
  int count = 0;  // payments
  Fen amount = 0;
};

// Sales of one sale date that the province has not yet accepted, and their deadline
// (POLICY S5: 3 working days after the sale).
struct PendingDay {
  Date sale_date;
  int count = 0;
  std::string first_invoice, last_invoice;  // "00000012"
  Date due;
  DeadlineState state = DeadlineState::OnTime;
  std::string terminal;  // in a merged report: whose sales ("AH-XX-0001/02"); else empty
};

// One day of the line chart. Sales (invoices), not items: the sales table alone gives it,
// which keeps a daily report's 30 days cheap on a large store.
struct DayPoint {
  Date date;
  int sales = 0;
  Fen total = 0;
  Fen subsidy = 0;
};

// The figures of a report over [date, to] (one day when to == date).
struct DailyFigures {
  Date date;  // the first day
  Date to;    // the last day
  int sales_count = 0;  // invoices issued in the period
  std::map<Category, CategoryTotals> by_category;
  int returns_count = 0;  // items returned in the period
  Fen returns_total = 0;
  Fen returns_subsidy = 0;
  int pending_upload = 0;  // sales the province has not yet accepted (now, not in the period)
  // Extensions of the reports issue.
  std::map<std::string, ClerkTotals> by_clerk;  // by login
  int pre_returns_count = 0;                    // 预退货 filed in the period
  Fen pre_returns_total = 0;
  Fen pre_returns_subsidy = 0;
  int refused_attempts = 0;                    // checkouts the rules refused
  std::map<std::string, int> refused_by_code;  // attempts naming each code ("HOUSEHOLD_LIMIT")
  std::vector<PendingDay> pending;             // oldest sale date first
  std::vector<DayPoint> series;                // one point per day, oldest first
  std::vector<std::string> terminals;          // "AH-XX-0001/01", one per merged terminal
  // Payments of the period's sales per method ("cash", "card", "mobile"; issue 16) and the
  // change given from the cash. Sales made before payments were recorded have none.
  std::map<std::string, PaymentTotals> by_payment;
  Fen change_given = 0;
};
using ReportFigures = DailyFigures;

// A subsidy amount split between the budgets (POLICY S2).
struct SubsidySplit {
  Fen central = 0;
  Fen provincial = 0;
};

struct DailyReport {
  DailyFigures figures;
  int items_count = 0;
  Fen total = 0;
  Fen subsidy = 0;
  Fen subsidy_central = 0;     // round-half-up of the central share of the subsidy
  Fen subsidy_provincial = 0;  // the rest, so the two always add up
  // The shares of each row, allocated so that the rows add up to the total's shares.
  std::map<Category, SubsidySplit> category_split;
  std::map<std::string, SubsidySplit> clerk_split;
  int pending_overdue = 0;   // of figures.pending
  int pending_last_day = 0;  // due today
  bool is_period() const { return figures.to > figures.date; }
};

DailyReport make_daily_report(const DailyFigures& figures, int central_share_percent);

// The sum of several terminals' figures over the same period: counts and amounts add, pending
// days of the same sale date join, the series adds day by day.
DailyFigures merge_figures(const std::vector<DailyFigures>& parts);

// Who the report is for, on its title lines.
struct ReportHeading {
  std::string outlet_name;
  std::string outlet_code;
  std::string generated_at;  // local ISO time
};

std::string render_report_text(const DailyReport& report, const std::string& outlet_name);
// The category table, one row per category and an "all" row: the machine-readable CSV of
// `report daily --format csv` on stdout (no byte order mark, unchanged since the first issue).
std::string render_report_csv(const DailyReport& report);
// The whole report for a spreadsheet: UTF-8 with a byte order mark (Excel on a Chinese Windows
// reads a file without one as GBK), CRLF, sections with a title row each, every cell
// neutralised against formula injection.
std::string render_report_spreadsheet_csv(const DailyReport& report, const ReportHeading& heading);

// A CSV cell for a spreadsheet: a value starting with = + - @ (or a tab or CR) gets a leading
// apostrophe so that Excel and LibreOffice take it as text, then quoted when it must be.
std::string spreadsheet_cell(std::string_view value);

std::string_view deadline_state_code(DeadlineState s);  // "on_time" | "last_day" | "overdue"
std::string_view deadline_state_zh(DeadlineState s);    // "按时" | "今日截止" | "已逾期"
// A short name of a refusal code for tables ("每户限购" for HOUSEHOLD_LIMIT); the code itself
// when it is not one of the engine's.
std::string refusal_title_zh(const std::string& code);
std::string refusal_title_en(const std::string& code);

}  // namespace hn
