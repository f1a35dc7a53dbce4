#include <catch2/catch.hpp>

#include <string>

#include "core/calendar.hpp"
#include "test_files.hpp"

using hn::Date;
using hn::DeadlineState;
using hn::HolidayCalendar;
using hn::UploadDeadline;

namespace {
HolidayCalendar calendar_2026() {
  HolidayCalendar calendar;
  hn::ImportMessage error;
  if (!calendar.add(hn_test::read_asset("calendar/cn-2026.txt"), error))
    FAIL("cn-2026.txt does not load: " << error.text());
  return calendar;
}
}  // namespace

TEST_CASE("the shipped 2026 holiday file loads all its dated lines", "[calendar]") {
  // 元旦 4, 春节 11, 清明 3, 劳动节 6, 端午 3, 国庆调休 1, 中秋 3, 国庆 8
  CHECK(calendar_2026().size() == 39);
}

TEST_CASE("a sale on Thursday 2026-09-24 is due by Wednesday 2026-09-30", "[calendar]") {
  // POLICY S5 example: Fri 25 to Sun 27 are off (中秋), then Mon 28, Tue 29, Wed 30
  const auto calendar = calendar_2026();
  CHECK(UploadDeadline{}.due(Date{2026, 9, 24}, calendar) == Date{2026, 9, 30});
}

TEST_CASE("a weekend day worked counts and a holiday on a weekday does not", "[calendar]") {
  // POLICY S5: 2026-09-30 (Wed) -> Oct 1-7 off, Thu 8, Fri 9, Sat 10 (worked) -> 2026-10-10
  const auto calendar = calendar_2026();
  CHECK(UploadDeadline{}.due(Date{2026, 9, 30}, calendar) == Date{2026, 10, 10});
  // 2026-02-13 (Fri) -> Sat 14 (worked), Feb 15-23 off, Tue 24, Wed 25 -> 2026-02-25
  CHECK(UploadDeadline{}.due(Date{2026, 2, 13}, calendar) == Date{2026, 2, 25});
}

TEST_CASE("working days follow the holiday notice and else Monday to Friday", "[calendar]") {
  const auto calendar = calendar_2026();
  CHECK(calendar.is_working_day(Date{2026, 9, 20}));        // Sunday, worked (国庆调休)
  CHECK(calendar.is_working_day(Date{2026, 10, 10}));       // Saturday, worked
  CHECK_FALSE(calendar.is_working_day(Date{2026, 10, 1}));  // Thursday, 国庆
  CHECK_FALSE(calendar.is_working_day(Date{2026, 9, 25}));  // Friday, 中秋
  CHECK(calendar.is_working_day(Date{2026, 9, 28}));        // an ordinary Monday
  CHECK_FALSE(calendar.is_working_day(Date{2026, 8, 1}));   // an ordinary Saturday
  CHECK(calendar.is_working_day(Date{2027, 1, 1}));         // Friday of a year not yet published
}

TEST_CASE("without a holiday file the deadline counts Monday to Friday", "[calendar]") {
  // Thu 2026-09-24 -> Fri 25, Mon 28, Tue 29
  const HolidayCalendar none;
  CHECK(UploadDeadline{}.due(Date{2026, 9, 24}, none) == Date{2026, 9, 29});
}

TEST_CASE("a deadline set in calendar days ignores weekends and holidays", "[calendar]") {
  const UploadDeadline calendar_days{3, false};
  CHECK(calendar_days.due(Date{2026, 9, 24}, calendar_2026()) == Date{2026, 9, 27});
}

TEST_CASE("an upload is on time before the due day, on its last day, then overdue", "[calendar]") {
  const Date due{2026, 9, 30};
  CHECK(UploadDeadline::state(Date{2026, 9, 29}, due) == DeadlineState::OnTime);
  CHECK(UploadDeadline::state(Date{2026, 9, 30}, due) == DeadlineState::LastDay);
  CHECK(UploadDeadline::state(Date{2026, 10, 1}, due) == DeadlineState::Overdue);
}

TEST_CASE("a malformed holiday line is refused with its line and nothing is added", "[calendar]") {
  HolidayCalendar calendar;
  hn::ImportMessage error;
  CHECK_FALSE(calendar.add("# comment\n2026-10-01 off 国庆节\n2026-10-02 holiday 国庆节\n", error));
  CHECK(error.line == 3);
  CHECK(calendar.size() == 0);
  CHECK_FALSE(calendar.add("2026-13-01 off x\n", error));
  CHECK(error.line == 1);
  CHECK(calendar.size() == 0);
}
