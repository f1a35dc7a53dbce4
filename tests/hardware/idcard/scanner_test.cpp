// Serial barcode scanners: the suffix settings byte for byte, then the driver against the
// scanner simulator over a real pseudo-terminal.
#include <catch2/catch.hpp>

#include "serial_scanner.hpp"
#include "temp_dir.hpp"

using namespace hn::hw;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {
const char* const kCard = "3408010000000001";     // a label card number (产品标识卡)
const char* const kSerial = "SN-HR-2009-004711";  // a product serial

Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }

std::vector<std::string> codes(ScanAssembler& a) {
  std::vector<std::string> out;
  while (auto c = a.next()) out.push_back(*c);
  return out;
}

ScannerSettings with_suffix(ScanSuffix suffix) {
  ScannerSettings s;
  s.suffix = suffix;
  s.gap = milliseconds(40);
  s.stale = milliseconds(150);
  return s;
}

using Codes = std::vector<std::string>;
}  // namespace

TEST_CASE("with CR, codes end at CR, and a CRLF scanner's LF is dropped", "[scanner]") {
  ScanAssembler a(ScanSuffix::CR);
  a.feed(text("3408\r\nSN1\r\r"));
  CHECK(codes(a) == Codes{"3408", "SN1"});
  a.feed(text("ABC\n"));  // LF alone ends nothing
  CHECK(codes(a).empty());
  CHECK(a.pending());
}

TEST_CASE("with LF, codes end at LF", "[scanner]") {
  ScanAssembler a(ScanSuffix::LF);
  a.feed(text("3408\nSN1\n"));
  CHECK(codes(a) == Codes{"3408", "SN1"});
  a.feed(text("ABC\r"));
  CHECK(codes(a).empty());
}

TEST_CASE("with CRLF, codes end at the pair and carry no CR", "[scanner]") {
  ScanAssembler a(ScanSuffix::CRLF);
  a.feed(text("3408\r"));
  CHECK(codes(a).empty());
  a.feed(text("\nSN1\r\n"));
  CHECK(codes(a) == Codes{"3408", "SN1"});
}

TEST_CASE("with no suffix, the assembler hands over what it has when told the line is quiet",
          "[scanner]") {
  ScanAssembler a(ScanSuffix::None);
  a.feed(text("3408"));
  CHECK_FALSE(a.next());
  a.feed(text("0100"));
  CHECK(a.flush() == std::optional<std::string>("34080100"));
  CHECK_FALSE(a.flush());
}

TEST_CASE("bytes running past the longest code are overlong", "[scanner]") {
  ScanAssembler a(ScanSuffix::CR, 8);
  a.feed(text("123456789"));
  CHECK(a.overlong());
}

TEST_CASE("suffix settings are named as on the scanner's setup sheet", "[scanner]") {
  for (const auto s : {ScanSuffix::CR, ScanSuffix::LF, ScanSuffix::CRLF, ScanSuffix::None})
    CHECK(parse_scan_suffix(scan_suffix_name(s)) == s);
  CHECK_FALSE(parse_scan_suffix("tab"));
  CHECK(suffix_bytes(ScanSuffix::CRLF) == Bytes{'\r', '\n'});
}

TEST_CASE("a serial scanner reads codes over a pty with each suffix setting", "[scanner][pty]") {
  const auto suffix = GENERATE(ScanSuffix::CR, ScanSuffix::LF, ScanSuffix::CRLF, ScanSuffix::None);
  INFO(scan_suffix_name(suffix));
  hn::test::TempDir dir;
  ScannerSimulator sim(dir.file("scanner"));
  SerialScanner scanner(sim.port(), with_suffix(suffix));
  REQUIRE(scanner.open().ok());

  REQUIRE(sim.scan(kCard, suffix));
  ScanResult r = scanner.next_scan(milliseconds(1000));
  REQUIRE(r.status == ScanStatus::Ok);
  CHECK(r.code == kCard);

  // A slow USB adapter hands the burst over in pieces; still one code.
  REQUIRE(sim.scan(kSerial, suffix, 5, milliseconds(10)));
  r = scanner.next_scan(milliseconds(1000));
  REQUIRE(r.status == ScanStatus::Ok);
  CHECK(r.code == kSerial);

  CHECK(scanner.next_scan(milliseconds(50)).status == ScanStatus::Timeout);
}

TEST_CASE("two scans in quick succession come out as two codes in order", "[scanner][pty]") {
  const auto suffix = GENERATE(ScanSuffix::CR, ScanSuffix::LF, ScanSuffix::CRLF);
  hn::test::TempDir dir;
  ScannerSimulator sim(dir.file("scanner"));
  SerialScanner scanner(sim.port(), with_suffix(suffix));
  REQUIRE(scanner.open().ok());
  REQUIRE(sim.scan(kCard, suffix));
  REQUIRE(sim.scan(kSerial, suffix));
  CHECK(scanner.next_scan(milliseconds(1000)).code == kCard);
  CHECK(scanner.next_scan(milliseconds(1000)).code == kSerial);
}

TEST_CASE("with no suffix, a pause longer than the gap separates codes", "[scanner][pty]") {
  hn::test::TempDir dir;
  ScannerSimulator sim(dir.file("scanner"));
  SerialScanner scanner(sim.port(), with_suffix(ScanSuffix::None));
  REQUIRE(scanner.open().ok());
  REQUIRE(sim.scan(kCard, ScanSuffix::None));
  const auto start = Clock::now();
  ScanResult r = scanner.next_scan(milliseconds(1000));
  const double took = std::chrono::duration<double>(Clock::now() - start).count();
  REQUIRE(r.ok());
  CHECK(r.code == kCard);
  CHECK(took >= 0.035);  // ended by the 40 ms of silence
  CHECK(took < 0.5);
  REQUIRE(sim.scan(kSerial, ScanSuffix::None));
  CHECK(scanner.next_scan(milliseconds(1000)).code == kSerial);
}

TEST_CASE("a scanner sending another suffix than set gives unterminated bytes, not a wrong code",
          "[scanner][pty]") {
  hn::test::TempDir dir;
  ScannerSimulator sim(dir.file("scanner"));
  SerialScanner scanner(sim.port(), with_suffix(ScanSuffix::CR));
  REQUIRE(scanner.open().ok());
  REQUIRE(sim.scan(kCard, ScanSuffix::LF));
  const ScanResult r = scanner.next_scan(milliseconds(1000));
  CHECK(r.status == ScanStatus::Unterminated);
  CHECK(r.code == std::string(kCard) + "\n");

  // A CRLF scanner on a CR setting is read fine.
  REQUIRE(sim.scan(kSerial, ScanSuffix::CRLF));
  REQUIRE(sim.scan(kCard, ScanSuffix::CRLF));
  CHECK(scanner.next_scan(milliseconds(1000)).code == kSerial);
  CHECK(scanner.next_scan(milliseconds(1000)).code == kCard);
}

TEST_CASE("an unplugged serial scanner is reported and read again once plugged back",
          "[scanner][pty]") {
  hn::test::TempDir dir;
  ScannerSimulator sim(dir.file("scanner"));
  SerialScanner scanner(sim.port(), with_suffix(ScanSuffix::CR));
  REQUIRE(scanner.open().ok());
  sim.unplug();
  CHECK(scanner.next_scan(milliseconds(500)).status == ScanStatus::Unplugged);
  CHECK(scanner.next_scan(milliseconds(50)).status == ScanStatus::Unplugged);  // the link is gone
  sim.plug_back();
  REQUIRE(scanner.open().ok());
  REQUIRE(sim.scan(kCard, ScanSuffix::CR));
  const ScanResult r = scanner.next_scan(milliseconds(1000));
  REQUIRE(r.ok());
  CHECK(r.code == kCard);
}
