// The manager's reports (reports issue): a day with the 30 days up to it, and a period.
#include "app/terminal.hpp"

namespace hn::app {

namespace {
void add_deadlines(DailyFigures& f, const HolidayCalendar& cal, Date today) {
  const UploadDeadline rule;  // POLICY S5: 3 working days
  for (auto& p : f.pending) {
    p.due = rule.due(p.sale_date, cal);
    p.state = UploadDeadline::state(today, p.due);
  }
}
}  // namespace

DailyReport Terminal::daily_report(Date date) {
  DailyFigures f = store_.reports().daily_figures(date);
  store_.sales().add_payment_totals(f);
  add_deadlines(f, calendar(), now().date);
  f.terminals = {terminal_label()};
  return make_daily_report(f, policy().central_share_percent);
}

DailyReport Terminal::period_report(Date from, Date to) {
  DailyFigures f = store_.reports().figures(from, to, from);
  store_.sales().add_payment_totals(f);
  add_deadlines(f, calendar(), now().date);
  f.terminals = {terminal_label()};
  return make_daily_report(f, policy().central_share_percent);
}

}  // namespace hn::app
