#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "core/id_number.hpp"

using hn::Date;
using hn::IdNumber;
using hn::IdNumberError;

// GB 11643-1999 check character, ISO 7064 MOD 11-2: the 17 digits are weighted
//   7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
// and (sum mod 11) = 0 1 2 3 4 5 6 7 8 9 10 gives the check 1 0 X 9 8 7 6 5 4 3 2.
//
// 340822 19800101 001 (怀宁县, born 1980-01-01):
//   3*7 + 4*9 + 0*10 + 8*5 + 2*8 + 2*4 + 1*2 + 9*1 + 8*6 + 0*3 + 0*7 + 1*9 + 0*10 + 1*5
//   + 0*8 + 0*4 + 1*2 = 21+36+0+40+16+8+2+9+48+0+0+9+0+5+0+0+2 = 196; 196 mod 11 = 9 -> '3'
constexpr const char* kBuyerId = "340822198001010013";
// 110105 19491231 002 (北京朝阳, born 1949-12-31):
//   1*7 + 1*9 + 0*10 + 1*5 + 0*8 + 5*4 + 1*2 + 9*1 + 4*6 + 9*3 + 1*7 + 2*9 + 3*10 + 1*5
//   + 0*8 + 0*4 + 2*2 = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 -> 'X'
constexpr const char* kIdWithX = "11010519491231002X";
// 340822 20000229 002 (2000 is a leap year):
//   21+36+0+40+16+8 + 2*2 + 0*1 + 0*6 + 0*3 + 0*7 + 2*9 + 2*10 + 9*5 + 0*8 + 0*4 + 2*2
//   = 121 + 4+0+0+0+0+18+20+45+0+0+4 = 212; 212 mod 11 = 3 -> '9'
constexpr const char* kLeapDay2000 = "340822200002290029";
// 340822 19830229 004 (1983 is not a leap year), with its arithmetically right check:
//   121 + 1*2 + 9*1 + 8*6 + 3*3 + 0*7 + 2*9 + 2*10 + 9*5 + 0*8 + 0*4 + 4*2
//   = 121 + 2+9+48+9+0+18+20+45+0+0+8 = 280; 280 mod 11 = 5 -> '7'
constexpr const char* kNoSuchDay1983 = "340822198302290047";
// 340822 20260925 001 (born the day after the sale in the S5 example):
//   121 + 2*2 + 0*1 + 2*6 + 6*3 + 0*7 + 9*9 + 2*10 + 5*5 + 0*8 + 0*4 + 1*2
//   = 121 + 4+0+12+18+0+81+20+25+0+0+2 = 283; 283 mod 11 = 8 -> '4'
constexpr const char* kBornTomorrow = "340822202609250014";

const Date kToday{2026, 9, 24};

TEST_CASE("an 18-digit ID number with the right check digit is accepted", "[id]") {
  IdNumberError error = IdNumberError::Empty;
  const auto id = IdNumber::parse(kBuyerId, kToday, &error);
  REQUIRE(id);
  CHECK(id->digits() == "340822198001010013");
  CHECK(id->region_code() == "340822");
  CHECK(id->birth_date() == Date{1980, 1, 1});
}

TEST_CASE("the check character is computed by ISO 7064 MOD 11-2", "[id]") {
  CHECK(hn::id_check_character("34082219800101001") == '3');
  CHECK(hn::id_check_character("11010519491231002") == 'X');
  CHECK(hn::id_check_character("34082220000229002") == '9');
  CHECK(hn::id_check_character("34082220260925001") == '4');
}

TEST_CASE("the check character of something that is not 17 digits is '?'", "[id]") {
  CHECK(hn::id_check_character("3408221980") == '?');
  CHECK(hn::id_check_character(std::string_view("341302198\0\0`0\0\0" "71\"", 18)) == '?');  // a fuzz find
  CHECK(hn::id_check_character("3408221980010100X") == '?');
}

TEST_CASE("an ID number whose check character is X is accepted", "[id]") {
  const auto id = IdNumber::parse(kIdWithX, kToday);
  REQUIRE(id);
  CHECK(id->digits() == "11010519491231002X");
  CHECK(id->birth_date() == Date{1949, 12, 31});
}

TEST_CASE("a lowercase x check character is accepted and normalised to X", "[id]") {
  const auto id = IdNumber::parse("11010519491231002x", kToday);
  REQUIRE(id);
  CHECK(id->digits() == "11010519491231002X");
}

TEST_CASE("a wrong check digit is refused with BadCheckDigit", "[id]") {
  for (const char* text : {"340822198001010014", "340822198001010010", "34082219800101001X",
                           "110105194912310021", "340822198001010031" /* two digits swapped */}) {
    INFO(text);
    IdNumberError error = IdNumberError::Empty;
    CHECK_FALSE(IdNumber::parse(text, kToday, &error));
    CHECK(error == IdNumberError::BadCheckDigit);
  }
}

TEST_CASE("29 February of a leap year is a valid birth date", "[id]") {
  const auto id = IdNumber::parse(kLeapDay2000, kToday);
  REQUIRE(id);
  CHECK(id->birth_date() == Date{2000, 2, 29});
}

TEST_CASE("29 February 1983 is refused as a birth date", "[id]") {
  IdNumberError error = IdNumberError::Empty;
  CHECK_FALSE(IdNumber::parse(kNoSuchDay1983, kToday, &error));
  CHECK(error == IdNumberError::BadBirthDate);
}

TEST_CASE("a birth date that is not a calendar date is refused", "[id]") {
  // Month 13; the check digit is irrelevant because the date is examined first.
  IdNumberError error = IdNumberError::Empty;
  CHECK_FALSE(IdNumber::parse("340822198013010013", kToday, &error));
  CHECK(error == IdNumberError::BadBirthDate);
}

TEST_CASE("a birth date after today is refused", "[id]") {
  IdNumberError error = IdNumberError::Empty;
  CHECK_FALSE(IdNumber::parse(kBornTomorrow, kToday, &error));
  CHECK(error == IdNumberError::BadBirthDate);
}

TEST_CASE("a birth date of today is accepted", "[id]") {
  const auto id = IdNumber::parse(kBornTomorrow, Date{2026, 9, 25});
  REQUIRE(id);
  CHECK(id->birth_date() == Date{2026, 9, 25});
}

TEST_CASE("without today only the calendar bounds the birth date", "[id]") {
  CHECK(IdNumber::parse(kBornTomorrow, std::nullopt));
  CHECK_FALSE(IdNumber::parse(kNoSuchDay1983, std::nullopt));
}

TEST_CASE("a 15-digit first-generation number is normalised to 18 digits", "[id]") {
  // 340822 800101 001 -> 340822 19 800101 001 + check '3' (the sum 196 worked out above)
  const auto id = IdNumber::parse("340822800101001", kToday);
  REQUIRE(id);
  CHECK(id->digits() == "340822198001010013");
  CHECK(id->birth_date() == Date{1980, 1, 1});
  // 110105 491231 002 -> 11010519491231002 + 'X'
  const auto with_x = IdNumber::parse("110105491231002", kToday);
  REQUIRE(with_x);
  CHECK(with_x->digits() == "11010519491231002X");
}

TEST_CASE("a 15-digit number with an impossible birth date is refused", "[id]") {
  IdNumberError error = IdNumberError::Empty;
  CHECK_FALSE(IdNumber::parse("340822830229004", kToday, &error));
  CHECK(error == IdNumberError::BadBirthDate);
}

TEST_CASE("a 15-digit number with an X is refused", "[id]") {
  IdNumberError error = IdNumberError::Empty;
  CHECK_FALSE(IdNumber::parse("34082280010100X", kToday, &error));
  CHECK(error == IdNumberError::BadCharacter);
}

TEST_CASE("an ID number outside any province is refused with BadRegion", "[id]") {
  for (const char* text : {"000822198001010013", "990822198001010013", "100822198001010013",
                           "200822198001010013", "000822800101001"}) {
    INFO(text);
    IdNumberError error = IdNumberError::Empty;
    CHECK_FALSE(IdNumber::parse(text, kToday, &error));
    CHECK(error == IdNumberError::BadRegion);
  }
}

TEST_CASE("an empty ID number is refused with Empty", "[id]") {
  IdNumberError error = IdNumberError::BadCheckDigit;
  CHECK_FALSE(IdNumber::parse("", kToday, &error));
  CHECK(error == IdNumberError::Empty);
}

TEST_CASE("an ID number of neither 15 nor 18 characters is refused with WrongLength", "[id]") {
  for (const char* text : {"34082219800101001", "3408221980010100133", "3408228001010", "1"}) {
    INFO(text);
    IdNumberError error = IdNumberError::Empty;
    CHECK_FALSE(IdNumber::parse(text, kToday, &error));
    CHECK(error == IdNumberError::WrongLength);
  }
}

TEST_CASE("letters other than a final X are refused with BadCharacter", "[id]") {
  for (const char* text : {"34082219800101001A", "3408221980X1010013", "X40822198001010013",
                           "340822198 01010013", "34082219800101001-"}) {
    INFO(text);
    IdNumberError error = IdNumberError::Empty;
    CHECK_FALSE(IdNumber::parse(text, kToday, &error));
    CHECK(error == IdNumberError::BadCharacter);
  }
}

TEST_CASE("parsing works without an error out-parameter", "[id]") {
  CHECK_FALSE(IdNumber::parse("340822198001010014", kToday));
  CHECK(IdNumber::parse(kBuyerId, kToday));
}

TEST_CASE("a masked ID shows the first four and last four around ten stars", "[id]") {
  const auto id = IdNumber::parse(kBuyerId, kToday);
  REQUIRE(id);
  CHECK(id->masked() == "3408**********0013");
  const auto x = IdNumber::parse(kIdWithX, kToday);
  REQUIRE(x);
  CHECK(x->masked() == "1101**********002X");
}

TEST_CASE("ID-like text that did not parse is masked the same way", "[id]") {
  CHECK(hn::mask_id_text("340822198001010014") == "3408**********0014");
  CHECK(hn::mask_id_text("34082219800101001") == "3408*********1001");
  CHECK(hn::mask_id_text("12345678") == "********");
  CHECK(hn::mask_id_text("") == "");
}
