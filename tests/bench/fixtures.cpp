#include "fixtures.hpp"

#include <array>
#include <cstdio>
#include <stdexcept>

#include "app/paths.hpp"
#include "core/id_number.hpp"

namespace hn::bench {

namespace {
// A cheap, well-mixed hash of an index (splitmix64), so identities look random but repeat.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Neighbouring counties of 滁州市 (全椒, 定远, 凤阳, 天长, 明光).
constexpr std::array<const char*, 5> kNeighbourCounties = {"341124", "341125", "341126", "341181",
                                                           "341182"};
constexpr std::array<const char*, 20> kSurnames = {"王", "李", "张", "刘", "陈", "杨", "黄",
                                                   "赵", "吴", "周", "徐", "孙", "马", "朱",
                                                   "胡", "郭", "何", "高", "林", "罗"};
constexpr std::array<const char*, 24> kGivenNames = {
    "秀英", "桂英", "秀兰", "玉兰", "建华", "建国", "国强", "志强", "永强", "春梅", "海燕", "德明",
    "文华", "金凤", "玉梅", "立新", "红霞", "长青", "家福", "有才", "二妮", "宝山", "小平", "树林"};
}  // namespace

std::int64_t unix_at(Date date, int seconds_of_day) {
  return date.serial() * 86400 + seconds_of_day - 8 * 3600;
}

std::string household_county(std::int64_t h) {
  const std::uint64_t r = mix(static_cast<std::uint64_t>(h));
  // About 6% of the households live across the county line.
  if (r % 100 < 6) return kNeighbourCounties[(r >> 8) % kNeighbourCounties.size()];
  return kOutletCounty;
}

std::string household_no(std::int64_t h) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%09lld", household_county(h).c_str(), static_cast<long long>(h));
  return buf;
}

std::string buyer_id(std::int64_t h, int member) {
  const std::uint64_t r = mix(static_cast<std::uint64_t>(h) * 4 + static_cast<std::uint64_t>(member));
  // Born 1940-01-01 .. 1989-12-31.
  const Date birth = Date{1940, 1, 1}.plus_days(static_cast<std::int64_t>(r % 18262));
  char first17[24];
  std::snprintf(first17, sizeof first17, "%s%04d%02d%02d%03u", household_county(h).c_str(),
                birth.year, birth.month, birth.day, static_cast<unsigned>((r >> 20) % 1000));
  return std::string(first17) + id_check_character(first17);
}

std::string buyer_name(std::int64_t h, int member) {
  const std::uint64_t r = mix(static_cast<std::uint64_t>(h) * 4 + static_cast<std::uint64_t>(member) + 1);
  return std::string(kSurnames[r % kSurnames.size()]) + kGivenNames[(r >> 16) % kGivenNames.size()];
}

namespace {
BenchOutlet sign_in(std::unique_ptr<app::Terminal> terminal) {
  BenchOutlet o;
  o.terminal = std::move(terminal);
  auto manager = o.terminal->authorize(kManagerLogin, kManagerPin, {store::Role::Manager});
  o.manager = expect(manager, "manager sign-in");
  auto clerk = o.terminal->authorize("clerk1", kClerkPin, {store::Role::Clerk});
  o.clerk = expect(clerk, "clerk sign-in");
  return o;
}
}  // namespace

BenchOutlet create_outlet(const std::string& db_path, const app::Clock& clock) {
  app::InitOptions init;
  init.outlet_code = kOutletCode;
  init.outlet_name = "来安县惠民家电商场";
  init.county = kOutletCounty;
  init.manager_login = kManagerLogin;
  init.manager_name = "周德明";
  init.manager_pin = kManagerPin;
  init.assets_dir = app::assets_dir();
  auto done = app::Terminal::init(db_path, init, clock);
  expect(done, "Terminal::init");
  auto terminal = app::Terminal::open(db_path, clock);
  auto manager = terminal->authorize(kManagerLogin, kManagerPin, {store::Role::Manager});
  const auto& m = expect(manager, "manager sign-in");
  for (const char* login : {"clerk1", "clerk2", "clerk3"}) {
    auto added = terminal->add_user(m, login, std::string("营业员") + login, store::Role::Clerk,
                                    kClerkPin);
    expect(added, "add clerk");
  }
  return sign_in(std::move(terminal));
}

}  // namespace hn::bench
