// The counter's scanner detection (pos/app/counter): a scanner's burst from a person's typing.
#include <catch2/catch.hpp>

#include <vector>

#include "app/counter.hpp"

using hn::app::ScanDetector;

namespace {
// Feeds keys at the given gaps (ms) and then Enter after `enter_gap` ms.
bool feed(ScanDetector& d, const std::vector<int>& gaps, int enter_gap) {
  std::int64_t t = 1000;
  d.key(t);
  for (int g : gaps) d.key(t += g);
  return d.finish(t + enter_gap);
}
}  // namespace

TEST_CASE("a scanner's burst of keys a few ms apart is a scan", "[counter]") {
  ScanDetector d;
  CHECK(feed(d, std::vector<int>(11, 3), 3));
}

TEST_CASE("a person typing at 90 ms a key is typing", "[counter]") {
  ScanDetector d;
  CHECK_FALSE(feed(d, std::vector<int>(11, 90), 90));
}

TEST_CASE("one stall in a burst is still a scan, many stalls are not", "[counter]") {
  ScanDetector d;
  std::vector<int> one_stall(11, 3);
  one_stall[5] = 400;  // the terminal was busy for 0.4 s in the middle of the burst
  CHECK(feed(d, one_stall, 3));
  std::vector<int> stalls(11, 3);
  for (std::size_t i = 0; i < stalls.size(); i += 2) stalls[i] = 120;  // every other key slow
  CHECK_FALSE(feed(d, stalls, 3));
}

TEST_CASE("a fast person's short bursts are not a scan", "[counter]") {
  ScanDetector d;
  // Bursts of two keys 20 ms apart, 150 ms between the pairs.
  CHECK_FALSE(feed(d, {20, 150, 20, 150, 20, 150, 20, 150, 20, 150, 20}, 150));
}

TEST_CASE("too short a code is never a scan, and each code starts afresh", "[counter]") {
  ScanDetector d;
  CHECK_FALSE(feed(d, {2, 2}, 2));  // 3 keys: shorter than any code
  CHECK_FALSE(feed(d, std::vector<int>(11, 90), 90));
  CHECK(feed(d, std::vector<int>(11, 2), 2));  // the slow code before does not count
}

// The counter session's corrections and F10's reasons (issue 16): a wrong serial is corrected
// in place, a serial never becomes a card line, 户号 is checked for its form.
namespace {
using hn::app::CounterSession;
using hn::app::EntryMode;
using hn::app::ScanOutcome;

constexpr const char* kCard = "34080100000000010001";
constexpr const char* kCard2 = "34080100000000010002";
bool on_record(const std::string& code) { return code == kCard || code == kCard2; }

// What the engine says about a line whose serial does not match its card.
hn::SaleCheck mismatch_on(int item) {
  hn::SaleCheck check;
  check.findings.push_back(hn::make_finding(hn::FindingCode::CardSerialMismatch, hn::Severity::Refuse, item,
                                            hn::FindingVariant::Default,
                                            {{"card", "C"}, {"serial", "S"}, {"expected", "E"}}));
  return check;
}
}  // namespace

TEST_CASE("a right serial scanned after a mismatch corrects that line in place", "[counter][correction]") {
  CounterSession s;
  s.buyer = {};
  s.buyer.id_text = "341322198001011239";
  s.buyer.name = "张三";
  s.buyer.household = "3413220012";
  REQUIRE(s.scan(kCard, EntryMode::Scanned, on_record) == ScanOutcome::NewLine);
  REQUIRE(s.scan("WRONG-SERIAL-1", EntryMode::Scanned, on_record) == ScanOutcome::SerialPaired);
  s.checked(mismatch_on(0));
  CHECK(s.mismatched(0));
  CHECK(s.next_step(nullptr).second.find("scan the right serial") != std::string::npos);
  CHECK(s.scan("TLM26V68-0811A00017", EntryMode::Scanned, on_record) == ScanOutcome::SerialReplaced);
  REQUIRE(s.lines.size() == 1);
  CHECK(s.lines[0].serial_no == "TLM26V68-0811A00017");
  CHECK(s.scanned_line() == 0);
  CHECK_FALSE(s.mismatched(0));
  // Corrected: a further serial has nowhere to go and opens no line.
  s.checked(hn::SaleCheck{});
  CHECK(s.scan("ANOTHER-SERIAL", EntryMode::Scanned, on_record) == ScanOutcome::NoLineWaits);
  CHECK(s.lines.size() == 1);
}

TEST_CASE("the selected mismatched line is the one corrected, else the last one", "[counter][correction]") {
  CounterSession s;
  s.scan(kCard, EntryMode::Scanned, on_record);
  s.scan("WRONG-A", EntryMode::Scanned, on_record);
  s.scan(kCard2, EntryMode::Scanned, on_record);
  s.scan("WRONG-B", EntryMode::Scanned, on_record);
  hn::SaleCheck both = mismatch_on(0);
  both.findings.push_back(mismatch_on(1).findings[0]);
  s.checked(both);
  CHECK(s.scan("RIGHT-A", EntryMode::Typed, on_record, /*selected=*/0) == ScanOutcome::SerialReplaced);
  CHECK(s.lines[0].serial_no == "RIGHT-A");
  CHECK(s.lines[0].serial_entry == EntryMode::Typed);
  CHECK(s.lines[1].serial_no == "WRONG-B");
  CHECK(s.scan("RIGHT-B", EntryMode::Scanned, on_record) == ScanOutcome::SerialReplaced);
  CHECK(s.lines[1].serial_no == "RIGHT-B");
  CHECK(s.lines.size() == 2);
}

TEST_CASE("a serial is never taken for a label card, an unknown card number still is", "[counter][correction]") {
  CounterSession s;
  CHECK(s.scan("TLM26V68-0811A00017", EntryMode::Scanned, on_record) == ScanOutcome::NoLineWaits);
  CHECK(s.lines.empty());
  // A card's form this terminal never received: a line, so the engine says CARD_UNKNOWN.
  CHECK(s.scan("99990100000000019999", EntryMode::Scanned, on_record) == ScanOutcome::NotACard);
  CHECK(s.lines.size() == 1);
  s.scan("SER-1", EntryMode::Scanned, on_record);
  CHECK(s.scan("SER-1", EntryMode::Scanned, on_record) == ScanOutcome::SerialInCart);
  CHECK(s.lines.size() == 1);
  CHECK(hn::app::looks_like_card_no(kCard));
  CHECK_FALSE(hn::app::looks_like_card_no("TLM26V68-0811A00017"));
  CHECK_FALSE(hn::app::looks_like_card_no("12345"));
}

TEST_CASE("a household number is letters and digits, never a name", "[counter][household]") {
  using hn::app::household_problem;
  CHECK_FALSE(household_problem(""));
  CHECK_FALSE(household_problem("3413220012"));
  CHECK_FALSE(household_problem("H4100001"));
  CHECK_FALSE(household_problem("79276"));
  for (const char* bad : {"张三", "Zhang San", "ABCDE", "123", "341322001234567890123", "3413-2200"}) {
    const auto p = household_problem(bad);
    REQUIRE(p);
    CHECK(p->code == "HOUSEHOLD_FORM");
    CHECK(p->message_zh.find("户号") != std::string::npos);
    CHECK(p->message_en.find("household number") != std::string::npos);
  }
  // No checkout with a name in 户号, and the next step says why.
  CounterSession s;
  s.buyer.id_text = "341322198001011239";
  s.buyer.name = "张三";
  s.buyer.household = "张三";
  s.lines.push_back({kCard, "SER", std::nullopt});
  CHECK_FALSE(s.ready(hn::SaleCheck{}));
  CHECK(s.next_step(nullptr).first.find("户号") != std::string::npos);
  s.buyer.household = "3413220012";
  CHECK(s.ready(hn::SaleCheck{}));
}

TEST_CASE("F10's reasons name every refusal and every missing serial", "[counter][blocked]") {
  CounterSession s;
  auto none = s.blockers(hn::SaleCheck{});
  REQUIRE(none.size() == 1);
  CHECK(none[0].code == "CART_EMPTY");
  s.buyer.household = "3413220012";
  s.scan(kCard, EntryMode::Scanned, on_record);
  s.scan(kCard2, EntryMode::Scanned, on_record);
  s.scan("WRONG", EntryMode::Scanned, on_record);
  const auto why = s.blockers(mismatch_on(1));
  REQUIRE(why.size() == 2);
  CHECK(why[0].code == "CARD_SERIAL_MISMATCH");
  CHECK(why[0].item == 1);
  CHECK(why[1].code == "SERIAL_MISSING");
  CHECK(why[1].item == 0);
  CHECK(why[1].message_en.find(kCard) != std::string::npos);
  s.lines[0].serial_no = "SER";
  CHECK(s.blockers(hn::SaleCheck{}).empty());
}

TEST_CASE("a serial finds the earlier line still without one", "[counter][correction]") {
  CounterSession s;
  s.scan(kCard, EntryMode::Scanned, on_record);
  s.scan(kCard2, EntryMode::Scanned, on_record);
  CHECK(s.scan("SER-2", EntryMode::Scanned, on_record) == ScanOutcome::SerialPaired);
  CHECK(s.scan("SER-1", EntryMode::Scanned, on_record) == ScanOutcome::SerialPaired);
  CHECK(s.lines[0].serial_no == "SER-1");
  CHECK(s.lines.size() == 2);
}
