#pragma once
// Deterministic people, households and outlets for the benchmarks. Every identity is a pure
// function of an index, so a benchmark can find the households of a generated store again
// without reading personal data back (it is stored encrypted).
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "app/terminal.hpp"
#include "core/date.hpp"

namespace hn::bench {

inline constexpr const char* kOutletCounty = "341122";  // 来安县, 滁州市, 安徽省
inline constexpr const char* kOutletCode = "AH-341122-0007";
inline constexpr const char* kManagerLogin = "manager";
inline constexpr const char* kManagerPin = "135790";
inline constexpr const char* kClerkPin = "2468";

// UNIX seconds of a local (Asia/Shanghai, UTC+8) moment.
std::int64_t unix_at(Date date, int seconds_of_day);

// The county of household `h`: mostly the outlet's own, some from neighbouring counties (those
// sales carry the COUNTY_MISMATCH warning).
std::string household_county(std::int64_t h);
// 户号: the county and nine digits.
std::string household_no(std::int64_t h);
// A valid 18-digit ID number (GB 11643) of member `member` of household `h`.
std::string buyer_id(std::int64_t h, int member);
std::string buyer_name(std::int64_t h, int member);

// A fresh outlet through the use cases: Terminal::init with the shipped assets (2008-12
// phase), three clerks; the manager and clerk1 signed in.
struct BenchOutlet {
  std::unique_ptr<app::Terminal> terminal;
  store::UserRecord manager;
  store::UserRecord clerk;
};
BenchOutlet create_outlet(const std::string& db_path, const app::Clock& clock);

// Throws with the problem's text when a use case said no during set-up.
template <class T>
T& expect(app::Result<T>& r, const char* what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.problem().text());
  return r.value();
}

}  // namespace hn::bench
