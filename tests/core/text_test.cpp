#include <catch2/catch.hpp>

#include <string>

#include "core/text.hpp"

namespace {
// 你好 saved as GBK: the usual reason a file from a Windows PC is not UTF-8.
constexpr const char* kGbkNiHao = "\xC4\xE3\xBA\xC3";
}  // namespace

TEST_CASE("ASCII takes one column per character", "[text]") {
  CHECK(hn::display_width("") == 0);
  CHECK(hn::display_width("abc") == 3);
  CHECK(hn::display_width("TLM26V68 1999.00") == 16);
}

TEST_CASE("Chinese characters take two columns each", "[text]") {
  CHECK(hn::display_width("你好") == 4);
  CHECK(hn::display_width("家电下乡") == 8);
  CHECK(hn::display_width("，") == 2);    // full-width comma U+FF0C
  CHECK(hn::display_width("ＡＢ") == 4);  // full-width letters
}

TEST_CASE("mixed Chinese and ASCII add up column by column", "[text]") {
  CHECK(hn::display_width("海信 TLM26V68") == 13);         // 2*2 + 1 + 8
  CHECK(hn::display_width("冰箱(含冰柜)") == 12);          // 5 Han * 2 + 2 ASCII parentheses
  CHECK(hn::display_width("购买人 Buyer: 王秀英") == 20);  // 6 + 8 + 6
}

TEST_CASE("combining marks take no column", "[text]") {
  CHECK(hn::display_width("e\xCC\x81") == 1);  // e + U+0301
}

TEST_CASE("bytes that are not UTF-8 count one column each", "[text]") {
  CHECK(hn::display_width(kGbkNiHao) == 4);
}

TEST_CASE("pad_right left-aligns text to a width in columns", "[text]") {
  CHECK(hn::pad_right("ab", 5) == "ab   ");
  CHECK(hn::pad_right("你好", 6) == "你好  ");
  CHECK(hn::pad_right("你好", 4) == "你好");
  CHECK(hn::pad_right("你好吗", 4) == "你好吗");  // wider: unchanged
  CHECK(hn::pad_right("", 2) == "  ");
}

TEST_CASE("pad_left right-aligns text to a width in columns", "[text]") {
  CHECK(hn::pad_left("ab", 5) == "   ab");
  CHECK(hn::pad_left("你好", 6) == "  你好");
  CHECK(hn::pad_left("1999.00", 12) == "     1999.00");
  CHECK(hn::pad_left("abc", 2) == "abc");  // wider: unchanged
}

TEST_CASE("valid UTF-8 is accepted", "[text]") {
  CHECK(hn::is_valid_utf8(""));
  CHECK(hn::is_valid_utf8("plain ascii"));
  CHECK(hn::is_valid_utf8("你好, 家电下乡"));
  CHECK(hn::is_valid_utf8("\xF0\x9F\x98\x80"));  // U+1F600, four bytes
  CHECK(hn::is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
}

TEST_CASE("GBK bytes are not UTF-8", "[text]") {
  CHECK_FALSE(hn::is_valid_utf8(kGbkNiHao));
  CHECK_FALSE(hn::is_valid_utf8(std::string("model,") + kGbkNiHao));
}

TEST_CASE("overlong, surrogate, truncated and out-of-range forms are not UTF-8", "[text]") {
  CHECK_FALSE(hn::is_valid_utf8("\xC0\xAF"));          // '/' in two bytes
  CHECK_FALSE(hn::is_valid_utf8("\xC1\xBF"));          // U+007F in two bytes
  CHECK_FALSE(hn::is_valid_utf8("\xE0\x80\xAF"));      // '/' in three bytes
  CHECK_FALSE(hn::is_valid_utf8("\xF0\x80\x80\xAF"));  // '/' in four bytes
  CHECK_FALSE(hn::is_valid_utf8("\xED\xA0\x80"));      // U+D800, a surrogate
  CHECK_FALSE(hn::is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000
  CHECK_FALSE(hn::is_valid_utf8("\xE4\xBD"));          // 你 cut short
  CHECK_FALSE(hn::is_valid_utf8("\x80"));              // a lone continuation byte
  CHECK_FALSE(hn::is_valid_utf8("\xFF"));
}

TEST_CASE("code points are read from UTF-8, and nothing from what is not UTF-8", "[text]") {
  CHECK(hn::code_points("a萧\xF0\x9F\x98\x80") == std::vector<std::uint32_t>{0x61, 0x8427, 0x1F600});
  CHECK(hn::code_points("").empty());
  CHECK(hn::code_points("ok\xE4\xBD").empty());  // 你 cut short
  CHECK(hn::code_points(kGbkNiHao).empty());
}

TEST_CASE("trim removes spaces, tabs and line ends at both ends only", "[text]") {
  CHECK(hn::trim("  a b \t\r\n") == "a b");
  CHECK(hn::trim("   ") == "");
  CHECK(hn::trim("") == "");
  CHECK(hn::trim("海信") == "海信");
}
