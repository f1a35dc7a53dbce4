#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/csv.hpp"

using hn::CsvError;
using hn::CsvTable;
using Fields = std::vector<std::string>;

namespace {
CsvTable parse_ok(const std::string& text) {
  CsvTable table;
  CsvError error;
  const bool ok = hn::parse_csv(text, table, error);
  INFO("error line " << error.line << ": " << error.what_en);
  REQUIRE(ok);
  return table;
}

CsvError parse_fail(const std::string& text) {
  CsvTable table;
  CsvError error;
  REQUIRE_FALSE(hn::parse_csv(text, table, error));
  return error;
}
}  // namespace

TEST_CASE("the first row is the header and the rest are data rows with line numbers", "[csv]") {
  const auto t = parse_ok("a,b,c\n1,2,3\n4,5,6\n");
  CHECK(t.header == Fields{"a", "b", "c"});
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].line == 2);
  CHECK(t.rows[0].fields == Fields{"1", "2", "3"});
  CHECK(t.rows[1].line == 3);
  CHECK(t.rows[1].fields == Fields{"4", "5", "6"});
}

TEST_CASE("the last row needs no line end", "[csv]") {
  const auto t = parse_ok("a,b\n1,2");
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0].fields == Fields{"1", "2"});
}

TEST_CASE("quoted fields lose their quotes", "[csv]") {
  const auto t = parse_ok("a,b\n\"x\",\"海信\"\n");
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0].fields == Fields{"x", "海信"});
}

TEST_CASE("a doubled quote inside quotes is one quote", "[csv]") {
  const auto t = parse_ok("a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n");
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0].fields == Fields{"say \"hi\"", "\""});
}

TEST_CASE("a comma inside quotes belongs to the field", "[csv]") {
  const auto t = parse_ok("spec,price\n\"21英寸 CRT, 纯平\",799.00\n");
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0].fields == Fields{"21英寸 CRT, 纯平", "799.00"});
}

TEST_CASE("empty fields are kept, including a trailing one", "[csv]") {
  const auto t = parse_ok("a,b,c\n1,,\n,,\n");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].fields == Fields{"1", "", ""});
  CHECK(t.rows[1].fields == Fields{"", "", ""});
}

TEST_CASE("CRLF line ends are the same as LF", "[csv]") {
  const auto t = parse_ok("a,b\r\n1,2\r\n3,4\r\n");
  CHECK(t.header == Fields{"a", "b"});
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].fields == Fields{"1", "2"});
  CHECK(t.rows[1].fields == Fields{"3", "4"});
  CHECK(t.rows[1].line == 3);
}

TEST_CASE("a line break inside quotes stays in the field and later rows keep true line numbers",
          "[csv]") {
  const auto t = parse_ok("a,b\n\"two\nlines\",x\n5,6\n");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].line == 2);
  CHECK(t.rows[0].fields == Fields{"two\nlines", "x"});
  CHECK(t.rows[1].line == 4);
}

TEST_CASE("a leading UTF-8 BOM is dropped", "[csv]") {
  const auto t = parse_ok(
      "\xEF\xBB\xBF"
      "model_code,price\nA,1\n");
  CHECK(t.header == Fields{"model_code", "price"});
}

TEST_CASE("blank lines are skipped but counted", "[csv]") {
  const auto t = parse_ok("a,b\n\n1,2\n\r\n3,4\n\n");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].line == 3);
  CHECK(t.rows[0].fields == Fields{"1", "2"});
  CHECK(t.rows[1].line == 5);
  CHECK(t.rows[1].fields == Fields{"3", "4"});
}

TEST_CASE("a line holding only an empty quoted field is a row, not a blank line", "[csv]") {
  const auto t = parse_ok("a\n\"\"\n");
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0].fields == Fields{""});
}

TEST_CASE("an unterminated quote is an error on the line where the field opened", "[csv]") {
  const auto e = parse_fail("a,b\n1,2\n3,\"oops\n4,5\n");
  CHECK(e.line == 3);
  CHECK_THAT(e.what_en, Catch::Contains("not closed"));
  CHECK_FALSE(e.what_zh.empty());
}

TEST_CASE("a quote in the middle of a field is an error with its line", "[csv]") {
  const auto e = parse_fail("a,b\n1,2\n3,x\"y\n");
  CHECK(e.line == 3);
}

TEST_CASE("GBK bytes are an error that names UTF-8 and the line", "[csv]") {
  const auto e = parse_fail("a,b\n1,2\n\xC4\xE3\xBA\xC3,3\n");
  CHECK(e.line == 3);
  CHECK_THAT(e.what_en, Catch::Contains("UTF-8"));
  CHECK_THAT(e.what_zh, Catch::Contains("UTF-8"));
  CHECK_THAT(e.what_zh, Catch::Contains("GBK"));
}

TEST_CASE("an empty file is an error", "[csv]") {
  CHECK(parse_fail("").line == 0);
  CHECK(parse_fail("\xEF\xBB\xBF").line == 0);
  CHECK(parse_fail("\n\n").line == 0);
}

TEST_CASE("a header alone gives no data rows", "[csv]") {
  const auto t = parse_ok("a,b\n");
  CHECK(t.header == Fields{"a", "b"});
  CHECK(t.rows.empty());
}

TEST_CASE("the joined header trims each field", "[csv]") {
  CHECK(hn::joined_header({" a ", "b", "\tc"}) == "a,b,c");
  CHECK(hn::joined_header({}) == "");
}

TEST_CASE("fields are quoted on output only when they must be", "[csv]") {
  CHECK(hn::csv_field("plain") == "plain");
  CHECK(hn::csv_field("冰箱(含冰柜)") == "冰箱(含冰柜)");
  CHECK(hn::csv_field("a,b") == "\"a,b\"");
  CHECK(hn::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(hn::csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(hn::csv_field("cr\r") == "\"cr\r\"");
  CHECK(hn::csv_field("") == "");
}

TEST_CASE("fields written by csv_field read back unchanged", "[csv]") {
  const Fields values{"21英寸 CRT, 纯平", "say \"hi\"", "two\nlines", "", "plain"};
  std::string text = "h1,h2,h3,h4,h5\n";
  for (std::size_t i = 0; i < values.size(); ++i) text += (i ? "," : "") + hn::csv_field(values[i]);
  text += "\n";
  const auto t = parse_ok(text);
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0].fields == values);
}
