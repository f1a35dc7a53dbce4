#include <catch2/catch.hpp>

#include <cstdint>

#include "core/date.hpp"

using hn::Date;

TEST_CASE("serial counts days from 1970-01-01", "[date]") {
  CHECK(Date{1970, 1, 1}.serial() == 0);
  CHECK(Date{1970, 1, 2}.serial() == 1);
  CHECK(Date{1969, 12, 31}.serial() == -1);
  // 2000-01-01 is day 10957; + 31 (January) + 29 (leap February) = 11017
  CHECK(Date{2000, 3, 1}.serial() == 11017);
  // 1970..2025: 56 years, 14 of them leap -> 20454; Jan-Aug 2026 = 243 days; + 23
  CHECK(Date{2026, 9, 24}.serial() == 20720);
  CHECK(Date{1900, 1, 1}.serial() == -25567);
  CHECK(Date{2199, 12, 31}.serial() == 84005);
}

TEST_CASE("from_serial turns day numbers back into dates", "[date]") {
  CHECK(Date::from_serial(0) == Date{1970, 1, 1});
  CHECK(Date::from_serial(-1) == Date{1969, 12, 31});
  CHECK(Date::from_serial(11017) == Date{2000, 3, 1});
  CHECK(Date::from_serial(20720) == Date{2026, 9, 24});
  CHECK(Date::from_serial(-25567) == Date{1900, 1, 1});
}

TEST_CASE("every day from 1900 to 2199 round-trips through its serial, one apart", "[date]") {
  // An independent calendar walk: month lengths written out, leap rule by hand.
  static constexpr int kLengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  std::int64_t expected = -25567;  // 1900-01-01
  long failures = 0;
  for (int y = 1900; y <= 2199; ++y) {
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    for (int m = 1; m <= 12; ++m) {
      const int days = kLengths[m - 1] + (m == 2 && leap ? 1 : 0);
      for (int d = 1; d <= days; ++d) {
        const Date date{y, m, d};
        if (date.serial() != expected || Date::from_serial(expected) != date) {
          if (++failures <= 5)
            FAIL_CHECK("mismatch at " << date.iso() << " expected serial " << expected);
        }
        ++expected;
      }
    }
  }
  CHECK(failures == 0);
  CHECK(expected == 84006);  // the day after 2199-12-31
}

TEST_CASE("ISO weekday runs from Monday 1 to Sunday 7", "[date]") {
  CHECK(Date{2026, 9, 24}.iso_weekday() == 4);   // Thursday (POLICY S5 example)
  CHECK(Date{2026, 9, 27}.iso_weekday() == 7);   // Sunday
  CHECK(Date{2026, 9, 28}.iso_weekday() == 1);   // Monday
  CHECK(Date{1970, 1, 1}.iso_weekday() == 4);    // Thursday
  CHECK(Date{1969, 12, 31}.iso_weekday() == 3);  // Wednesday, before the epoch
  CHECK(Date{1900, 1, 1}.iso_weekday() == 1);    // Monday
  CHECK(Date{2000, 1, 1}.iso_weekday() == 6);    // Saturday
  CHECK(Date{2008, 12, 1}.iso_weekday() == 1);   // Monday
}

TEST_CASE("leap years follow the Gregorian rule", "[date]") {
  CHECK_FALSE(hn::is_leap_year(1900));
  CHECK(hn::is_leap_year(2000));
  CHECK(hn::is_leap_year(2024));
  CHECK_FALSE(hn::is_leap_year(2023));
  CHECK_FALSE(hn::is_leap_year(2100));
  CHECK(hn::days_in_month(2024, 2) == 29);
  CHECK(hn::days_in_month(2023, 2) == 28);
  CHECK(hn::days_in_month(1900, 2) == 28);
  CHECK(hn::days_in_month(2000, 2) == 29);
  CHECK(hn::days_in_month(2026, 4) == 30);
  CHECK(hn::days_in_month(2026, 12) == 31);
}

TEST_CASE("only real calendar dates between 1900 and 2199 are valid", "[date]") {
  CHECK(hn::is_valid_date(2024, 2, 29));
  CHECK_FALSE(hn::is_valid_date(2023, 2, 29));
  CHECK_FALSE(hn::is_valid_date(1900, 2, 29));
  CHECK(hn::is_valid_date(2000, 2, 29));
  CHECK_FALSE(hn::is_valid_date(2026, 4, 31));
  CHECK_FALSE(hn::is_valid_date(2026, 0, 1));
  CHECK_FALSE(hn::is_valid_date(2026, 13, 1));
  CHECK_FALSE(hn::is_valid_date(2026, 1, 0));
  CHECK_FALSE(hn::is_valid_date(1899, 12, 31));
  CHECK(hn::is_valid_date(1900, 1, 1));
  CHECK(hn::is_valid_date(2199, 12, 31));
  CHECK_FALSE(hn::is_valid_date(2200, 1, 1));
}

TEST_CASE("ISO dates parse only as YYYY-MM-DD real dates", "[date]") {
  CHECK(hn::parse_iso_date("2026-09-24") == Date{2026, 9, 24});
  CHECK(hn::parse_iso_date("2024-02-29") == Date{2024, 2, 29});
  for (const char* text : {"2026-2-3", "2026-13-01", "2023-02-29", "2026-04-31", "2026/09/24",
                           "20260924", " 2026-09-24", "2026-09-24 ", "2026-09-2a", "+026-09-24",
                           "2026-00-10", "2026-09-00", "", "1899-12-31"}) {
    INFO("text '" << text << "'");
    CHECK_FALSE(hn::parse_iso_date(text));
  }
}

TEST_CASE("compact dates parse only as YYYYMMDD real dates", "[date]") {
  CHECK(hn::parse_compact_date("20260924") == Date{2026, 9, 24});
  CHECK(hn::parse_compact_date("19840229") == Date{1984, 2, 29});
  CHECK_FALSE(hn::parse_compact_date("19830229"));
  CHECK_FALSE(hn::parse_compact_date("2026-09-24"));
  CHECK_FALSE(hn::parse_compact_date("2026092"));
  CHECK_FALSE(hn::parse_compact_date("2026092a"));
}

TEST_CASE("dates print zero-padded as ISO 8601", "[date]") {
  CHECK(Date{2009, 1, 5}.iso() == "2009-01-05");
  CHECK(Date{2026, 12, 31}.iso() == "2026-12-31");
}

TEST_CASE("adding days crosses month, leap day and year ends", "[date]") {
  CHECK(Date{2026, 9, 24}.plus_days(6) == Date{2026, 9, 30});
  CHECK(Date{2024, 2, 28}.plus_days(1) == Date{2024, 2, 29});
  CHECK(Date{2023, 2, 28}.plus_days(1) == Date{2023, 3, 1});
  CHECK(Date{2026, 12, 31}.plus_days(1) == Date{2027, 1, 1});
  CHECK(Date{2026, 1, 1}.plus_days(-1) == Date{2025, 12, 31});
  CHECK(Date{2026, 9, 24}.plus_days(0) == Date{2026, 9, 24});
}

TEST_CASE("dates compare in calendar order", "[date]") {
  const Date a{2009, 11, 30}, b{2009, 12, 1}, c{2010, 1, 1};
  CHECK(a < b);
  CHECK(b < c);
  CHECK_FALSE(b < a);
  CHECK(a <= a);
  CHECK(c > a);
  CHECK(c >= c);
  CHECK(a != b);
  CHECK(Date{2009, 12, 1} == b);
}

TEST_CASE("a UNIX time becomes China local time at UTC+8", "[date]") {
  const auto epoch = hn::local_time_from_unix(0, 480);
  CHECK(epoch.date == Date{1970, 1, 1});
  CHECK(epoch.seconds_of_day == 8 * 3600);
  CHECK(epoch.iso() == "1970-01-01T08:00:00");
  // 2026-09-24T02:32:05Z
  CHECK(hn::local_time_from_unix(1790217125, 480).iso() == "2026-09-24T10:32:05");
  // 16:00Z is midnight of the next day in Beijing
  CHECK(hn::local_time_from_unix(1790208000 + 16 * 3600, 480).iso() == "2026-09-25T00:00:00");
}

TEST_CASE("a UNIX time before 1970 still gives a proper local time", "[date]") {
  CHECK(hn::local_time_from_unix(-1, 0).iso() == "1969-12-31T23:59:59");
  CHECK(hn::local_time_from_unix(-86400, 0).iso() == "1969-12-31T00:00:00");
}
