#pragma once
// A civil date in the outlet's local calendar (Asia/Shanghai by default). No time zone
// arithmetic lives here: the shell converts "now" into a local Date and time once.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hn {

struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  // Days since 1970-01-01 (negative before).
  std::int64_t serial() const;
  static Date from_serial(std::int64_t days);
  // 1 = Monday ... 7 = Sunday (ISO 8601).
  int iso_weekday() const;
  Date plus_days(std::int64_t n) const { return from_serial(serial() + n); }
  std::string iso() const;  // "2026-09-24"

  friend bool operator==(const Date& a, const Date& b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
  }
  friend bool operator!=(const Date& a, const Date& b) { return !(a == b); }
  friend bool operator<(const Date& a, const Date& b) { return a.serial() < b.serial(); }
  friend bool operator<=(const Date& a, const Date& b) { return !(b < a); }
  friend bool operator>(const Date& a, const Date& b) { return b < a; }
  friend bool operator>=(const Date& a, const Date& b) { return !(a < b); }
};

bool is_leap_year(int year);
int days_in_month(int year, int month);
// A real calendar date, years 1900-2199.
bool is_valid_date(int year, int month, int day);
// "YYYY-MM-DD" exactly; nullopt when malformed or not a real date.
std::optional<Date> parse_iso_date(std::string_view text);
// "YYYYMMDD" exactly (ID numbers, ID card fields).
std::optional<Date> parse_compact_date(std::string_view text);

// A local wall-clock moment: a date and seconds since local midnight.
struct LocalTime {
  Date date;
  int seconds_of_day = 0;
  std::string iso() const;  // "2026-09-24T10:32:05"
};

// Local time for a UNIX time at a fixed UTC offset (China has had no DST since 1991).
LocalTime local_time_from_unix(std::int64_t unix_seconds, int utc_offset_minutes);

}  // namespace hn
