#include "core/calendar.hpp"

#include <string>

#include "core/text.hpp"

namespace hn {

bool HolidayCalendar::add(std::string_view text, ImportMessage& error) {
  std::map<std::int64_t, bool> parsed;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(pos, end - pos));
    pos = end + 1;
    ++line_no;
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    line = trim(line);
    if (line.empty()) continue;
    const auto date = parse_iso_date(std::string_view(line).substr(0, 10));
    const std::string rest = line.size() > 10 ? trim(std::string_view(line).substr(10)) : "";
    const std::string kind = rest.substr(0, rest.find(' '));
    if (!date || (kind != "off" && kind != "work")) {
      error = {line_no, "", "应为 YYYY-MM-DD off|work 名称", "expected YYYY-MM-DD off|work NAME"};
      return false;
    }
    parsed[date->serial()] = kind == "work";
  }
  for (const auto& [day, working] : parsed) days_[day] = working;
  return true;
}

bool HolidayCalendar::is_working_day(Date d) const {
  const auto it = days_.find(d.serial());
  if (it != days_.end()) return it->second;
  return d.iso_weekday() <= 5;
}

Date HolidayCalendar::add_working_days(Date from, int n) const {
  Date d = from;
  for (int counted = 0; counted < n;) {
    d = d.plus_days(1);
    if (is_working_day(d)) ++counted;
  }
  return d;
}

Date UploadDeadline::due(Date sale_date, const HolidayCalendar& calendar) const {
  return working_days ? calendar.add_working_days(sale_date, days) : sale_date.plus_days(days);
}

DeadlineState UploadDeadline::state(Date today, Date due) {
  if (today > due) return DeadlineState::Overdue;
  if (today == due) return DeadlineState::LastDay;
  return DeadlineState::OnTime;
}

}  // namespace hn
