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
