#include <catch2/catch.hpp>

#include <string>

#include "core/money.hpp"

TEST_CASE("yuan text parses to whole fen", "[money]") {
  CHECK(hn::parse_yuan("1999.00") == 199900);
  CHECK(hn::parse_yuan("1999") == 199900);
  CHECK(hn::parse_yuan("0.5") == 50);
  CHECK_FALSE(hn::parse_yuan("1999.001"));
  CHECK_FALSE(hn::parse_yuan("-1"));
}

TEST_CASE("one decimal is tenths of a yuan and leading zeros are harmless", "[money]") {
  CHECK(hn::parse_yuan("1999.5") == 199950);
  CHECK(hn::parse_yuan("0.05") == 5);
  CHECK(hn::parse_yuan("0") == 0);
  CHECK(hn::parse_yuan("0.00") == 0);
  CHECK(hn::parse_yuan("007.10") == 710);
}

TEST_CASE("amounts format as yuan with two decimals", "[money]") {
  CHECK(hn::format_yuan(0) == "0.00");
  CHECK(hn::format_yuan(5) == "0.05");
  CHECK(hn::format_yuan(50) == "0.50");
  CHECK(hn::format_yuan(199900) == "1999.00");
  CHECK(hn::format_yuan(200001) == "2000.01");
  CHECK(hn::format_yuan(25987) == "259.87");
  CHECK(hn::format_yuan(hn::kMaxAmount) == "100000000.00");
}

TEST_CASE("negative amounts keep their sign when formatted", "[money]") {
  CHECK(hn::format_yuan(-1230) == "-12.30");
  CHECK(hn::format_yuan(-5) == "-0.05");
  CHECK(hn::format_yuan(INT64_MIN) == "-92233720368547758.08");
}

TEST_CASE("formatting then parsing gives back the same fen", "[money]") {
  for (hn::Fen fen :
       {hn::Fen{0}, hn::Fen{1}, hn::Fen{9}, hn::Fen{10}, hn::Fen{99}, hn::Fen{100}, hn::Fen{101},
        hn::Fen{25987}, hn::Fen{199900}, hn::Fen{200001}, hn::kMaxAmount - 1, hn::kMaxAmount}) {
    INFO("fen " << fen);
    CHECK(hn::parse_yuan(hn::format_yuan(fen)) == fen);
  }
  for (hn::Fen fen = 0; fen < 300000; fen += 37) {
    const auto back = hn::parse_yuan(hn::format_yuan(fen));
    if (!back || *back != fen) FAIL("round trip broke at " << fen);
  }
}

TEST_CASE("money text with a typo or foreign notation is refused", "[money]") {
  for (const char* text : {"12.", "1,000", "1e3", " 12", "12 ", "", ".5", "+1", "1.2.3", "12.3a",
                           "１２", "1_000", "0x10", "12,50", "¥12"}) {
    INFO("text '" << text << "'");
    CHECK_FALSE(hn::parse_yuan(text));
  }
}

TEST_CASE("amounts above kMaxAmount are refused and kMaxAmount itself is accepted", "[money]") {
  CHECK(hn::kMaxAmount == 10000000000);
  CHECK(hn::parse_yuan("100000000") == 10000000000);
  CHECK(hn::parse_yuan("100000000.00") == 10000000000);
  CHECK_FALSE(hn::parse_yuan("100000000.01"));
  CHECK_FALSE(hn::parse_yuan("100000001"));
  // Far past int64: must be refused, not wrap around.
  CHECK_FALSE(hn::parse_yuan("99999999999999999999999999"));
}

TEST_CASE("13% of an amount is rounded half up to the fen", "[money]") {
  // 0.50 yuan * 13% = 6.5 fen -> 7 fen
  CHECK(hn::multiply_round_half_up(50, 13, 100) == 7);
  // 1.50 yuan * 13% = 19.5 fen -> 20 fen
  CHECK(hn::multiply_round_half_up(150, 13, 100) == 20);
  // 3.50 yuan * 13% = 45.5 fen -> 46 fen
  CHECK(hn::multiply_round_half_up(350, 13, 100) == 46);
  // 0.49 yuan * 13% = 6.37 fen -> 6 fen (below half rounds down)
  CHECK(hn::multiply_round_half_up(49, 13, 100) == 6);
  // 1999.00 yuan * 13.00% (basis points) = 25987 fen exactly = 259.87 yuan
  CHECK(hn::multiply_round_half_up(199900, 1300, 10000) == 25987);
  // 1.00 yuan * 13% = 13 fen, nothing to round
  CHECK(hn::multiply_round_half_up(100, 13, 100) == 13);
  CHECK(hn::multiply_round_half_up(0, 1300, 10000) == 0);
}

TEST_CASE("rate arithmetic at kMaxAmount does not overflow", "[money]") {
  // 10^10 fen * 10^4 basis points = 10^14, far inside int64.
  CHECK(hn::multiply_round_half_up(hn::kMaxAmount, 10000, 10000) == hn::kMaxAmount);
  CHECK(hn::multiply_round_half_up(hn::kMaxAmount, 1300, 10000) == 1300000000);
}
