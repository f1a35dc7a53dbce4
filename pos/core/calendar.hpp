#pragma once
// Working days for the upload deadline (POLICY S5): China's public holidays and the weekend
// days worked instead (调休上班), as published each November by the State Council; Monday to
// Friday for years not yet published.
#include <map>
#include <string_view>

#include "core/catalog.hpp"
#include "core/date.hpp"

namespace hn {

class HolidayCalendar {
 public:
  // Adds one year's file (`YYYY-MM-DD off|work NAME` lines, '#' comments). All or nothing.
  bool add(std::string_view text, ImportMessage& error);
  bool is_working_day(Date d) const;
  // The n-th working day after `from` (n >= 1): a sale on Thursday 2026-09-24 with n = 3
  // is due by Wednesday 2026-09-30.
  Date add_working_days(Date from, int n) const;
  std::size_t size() const { return days_.size(); }

 private:
  std::map<std::int64_t, bool> days_;  // date serial -> working?
};

enum class DeadlineState { OnTime, LastDay, Overdue };

struct UploadDeadline {
  int days = 3;               // POLICY S5
  bool working_days = true;   // a policy setting: working or calendar days

  Date due(Date sale_date, const HolidayCalendar& calendar) const;
  static DeadlineState state(Date today, Date due);
};

}  // namespace hn
