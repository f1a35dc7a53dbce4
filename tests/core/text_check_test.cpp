// The one check every text that enters the terminal passes (check_text), the replacement the
// printers and file writers make (printable_text), the value an error shows (quote_for_message),
// and their use by the core's parsers: catalog, goods receipt, policy, CSV limits, the buyer.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/catalog.hpp"
#include "core/csv.hpp"
#include "core/invoice.hpp"
#include "core/label_card.hpp"
#include "core/policy.hpp"
#include "core/policy_engine.hpp"
#include "core/report.hpp"
#include "core/text.hpp"

using hn::check_text;
using hn::TextKind;
using hn::TextProblem;

namespace {
const std::string kEsc = "\x1b";
const std::string kRlo = "\xE2\x80\xAE";  // U+202E RIGHT-TO-LEFT OVERRIDE
const std::string kCatalogHeader = "model_code,category,brand,name,spec,max_price,valid_from,valid_to\n";
}  // namespace

TEST_CASE("ordinary names, brands and specs pass the text check", "[text][check]") {
  for (const std::string& ok : {std::string("王秀英"), std::string("阿依古丽·买买提"), std::string("O'Brien-Smith"),
                                std::string("海信 Hisense"), std::string("26英寸 LCD (16:9)"), std::string(""),
                                std::string("￥1999.00 «全新»"), std::string("\xF0\xA0\x80\x80")}) {
    const auto c = check_text("name", ok, TextKind::Spec);
    INFO(ok);
    CHECK(c.ok());
    CHECK(c.code().empty());
    CHECK(c.message_en().empty());
  }
}

TEST_CASE("every C0 control, DEL and every C1 control is refused with its position and code point",
          "[text][check]") {
  for (unsigned cp = 0; cp < 0x20; ++cp) {
    const std::string value = "ab" + std::string(1, static_cast<char>(cp)) + "c";
    const auto c = check_text("buyer_name", value, TextKind::PersonName);
    INFO(cp);
    REQUIRE(c.problem == TextProblem::ControlChar);
    CHECK(c.code() == "TEXT_CONTROL_CHAR");
    CHECK(c.position == 3);
    CHECK(c.code_point == cp);
  }
  CHECK(check_text("x", "a\x7f", TextKind::PersonName).code_point == 0x7F);
  for (unsigned cp = 0x80; cp <= 0x9F; ++cp) {
    const std::string value = "王" + std::string{static_cast<char>(0xC2), static_cast<char>(cp)};
    const auto c = check_text("x", value, TextKind::PersonName);
    INFO(cp);
    CHECK(c.problem == TextProblem::ControlChar);
    CHECK(c.position == 2);
    CHECK(c.code_point == cp);
  }
}

TEST_CASE("line separators and bidi overrides are refused too", "[text][check]") {
  for (const std::uint32_t cp : {0x2028u, 0x2029u, 0x202Au, 0x202Bu, 0x202Cu, 0x202Du, 0x202Eu, 0x2066u, 0x2067u,
                                 0x2068u, 0x2069u, 0x200Eu, 0x200Fu, 0x061Cu}) {
    CHECK(hn::is_unsafe_code_point(cp));
  }
  const auto c = check_text("name", "液晶" + kRlo + "电彩", TextKind::ProductName);
  CHECK(c.code() == "TEXT_CONTROL_CHAR");
  CHECK(c.code_point == 0x202E);
  CHECK(hn::is_unsafe_code_point(0));
  CHECK_FALSE(hn::is_unsafe_code_point(' '));
  CHECK_FALSE(hn::is_unsafe_code_point(0xA0));    // no-break space
  CHECK_FALSE(hn::is_unsafe_code_point(0x00B7));  // the middle dot of minority names
  CHECK_FALSE(hn::is_unsafe_code_point(0xFFE5));  // ￥
}

TEST_CASE("text that is not UTF-8 is refused with the byte it goes wrong at", "[text][check]") {
  const auto c = check_text("brand", std::string("海信\xC4\xE3"), TextKind::Brand);
  CHECK(c.code() == "TEXT_NOT_UTF8");
  CHECK(c.position == 7);
  CHECK(check_text("brand", "\xED\xA0\x80", TextKind::Brand).problem == TextProblem::NotUtf8);  // a surrogate
}

TEST_CASE("length is counted in characters against the kind's limit", "[text][check]") {
  CHECK(hn::max_chars(TextKind::PersonName) == 64);
  CHECK(hn::max_chars(TextKind::Brand) == 64);
  CHECK(hn::max_chars(TextKind::Spec) == 256);
  CHECK(hn::max_chars(TextKind::Reason) == 500);
  std::string chinese;
  for (int i = 0; i < 64; ++i) chinese += "王";  // 192 bytes, 64 characters
  CHECK(check_text("buyer_name", chinese, TextKind::PersonName).ok());
  const auto c = check_text("buyer_name", chinese + "王", TextKind::PersonName);
  CHECK(c.code() == "TEXT_TOO_LONG");
  CHECK(c.length == 65);
  CHECK(c.limit == 64);
  const auto huge = check_text("spec", std::string(10 * 1024 * 1024, 'x'), TextKind::Spec);
  CHECK(huge.code() == "TEXT_TOO_LONG");
  CHECK(huge.message_en().size() < 200);
}

TEST_CASE("the messages name the field in both languages and never carry the text", "[text][check]") {
  const auto c = check_text("buyer_name", "张三" + kEsc + "p" + kEsc + "@", TextKind::PersonName);
  CHECK(c.field == "buyer_name");
  // The Chinese message names the field in Chinese (issue 16); its key is for English and JSON.
  CHECK(c.message_zh().rfind("购买人姓名 的第 3 个字符", 0) == 0);
  CHECK(c.message_zh().find("buyer_name") == std::string::npos);
  CHECK(c.message_zh().find("第 3 个字符") != std::string::npos);
  CHECK(c.message_zh().find("U+001B") != std::string::npos);
  CHECK(c.message_en().find("buyer_name: character 3") != std::string::npos);
  CHECK(c.message_en().find("张三") == std::string::npos);
  CHECK(c.message_en().find(kEsc) == std::string::npos);
  CHECK(c.message_zh().find(kEsc) == std::string::npos);
  const auto odd = check_text("a" + kEsc + "b", "\x01", TextKind::PersonName);
  CHECK(odd.message_en().find(kEsc) == std::string::npos);  // even an odd field name is escaped
  CHECK(odd.message_zh().find(kEsc) == std::string::npos);
}

TEST_CASE("fields and setting keys have Chinese names, and an unknown key stays a code", "[text][message]") {
  CHECK(hn::field_name_zh("card_no") == "标识卡号");
  CHECK(hn::field_name_zh("serial_no") == "序列号");
  CHECK(hn::field_name_zh("device.cash_drawer") == "钱箱");
  CHECK(hn::field_name_zh("ui.idle_lock_minutes") == "空闲锁屏分钟数");
  CHECK(hn::field_name_zh("subsidy_rate") == "subsidy_rate");
  CHECK(hn::field_name_zh("a" + kEsc) == "a\\x1b");
}

TEST_CASE("printable_text replaces controls and bytes that are not UTF-8 and keeps the rest", "[text][print]") {
  CHECK(hn::printable_text("王秀英 Wang") == "王秀英 Wang");
  CHECK(hn::printable_text("a" + kEsc + "pb", "?") == "a?pb");
  CHECK(hn::printable_text(std::string("a\0b", 3), "?") == "a?b");
  CHECK(hn::printable_text("x\r\n合计", "?") == "x??合计");
  CHECK(hn::printable_text("x" + kRlo + "y") == "x\xEF\xBF\xBDy");
  CHECK(hn::printable_text("\xC4\xE3", "?") == "??");  // each stray byte
  CHECK(hn::printable_text("\xE4\xBD", "?") == "??");  // 你 cut short
  CHECK(hn::is_valid_utf8(hn::printable_text("\xFF\xFE\x80 ok")));
}

TEST_CASE("quote_for_message cuts at 60 characters and escapes what is not printable", "[text][message]") {
  CHECK(hn::quote_for_message("television") == "'television'");
  CHECK(hn::quote_for_message(std::string(61, 'x')) == "'" + std::string(60, 'x') + "…'");
  CHECK(hn::quote_for_message(std::string(60, 'x')) == "'" + std::string(60, 'x') + "'");
  CHECK(hn::quote_for_message("a" + kEsc + "[2J") == "'a\\x1b[2J'");
  CHECK(hn::quote_for_message(std::string("a\0b", 3)) == "'a\\x00b'");
  CHECK(hn::quote_for_message("\xC4\xE3") == "'\\xc4\\xe3'");
  CHECK(hn::quote_for_message("左" + kRlo + "右") == "'左<U+202E>右'");
  CHECK(hn::escape_for_message("你好你好", 2) == "你好…");
  const std::string big = hn::quote_for_message(std::string(10 * 1024 * 1024, '\x1b'));
  CHECK(big.size() < 60 * 4 + 8);
  CHECK(hn::is_valid_utf8(hn::quote_for_message("\xFF\xC0 x")));
}

TEST_CASE("a catalog row with a control character, NUL or a bidi override in its text is refused with its code",
          "[catalog][check]") {
  struct Bad {
    std::string row;
    const char* field;
    const char* code;
  };
  const Bad cases[] = {
      {"M1,tv,海信" + kEsc + "p,彩电,26,999.00,2008-12-01,", "brand", "TEXT_CONTROL_CHAR"},
      {"M1,tv,海信,彩" + std::string(1, '\0') + "电,26,999.00,2008-12-01,", "name", "TEXT_CONTROL_CHAR"},
      {"M1,tv,海信,彩电,\"26\r\n合计 Total: 0.00\",999.00,2008-12-01,", "spec", "TEXT_CONTROL_CHAR"},
      {"M1,tv,海信,彩电" + kRlo + "x,26,999.00,2008-12-01,", "name", "TEXT_CONTROL_CHAR"},
      {"M1,tv," + std::string(65, 'B') + ",彩电,26,999.00,2008-12-01,", "brand", "TEXT_TOO_LONG"},
      {"M1,tv,海信,彩电," + std::string(257, 's') + ",999.00,2008-12-01,", "spec", "TEXT_TOO_LONG"},
  };
  for (const auto& bad : cases) {
    std::vector<hn::CatalogModel> out;
    hn::ImportMessage error;
    INFO(bad.row);
    REQUIRE_FALSE(hn::parse_catalog_csv(kCatalogHeader + "OK-1,tv,海信,彩电,26,999.00,2008-12-01,\n" + bad.row + "\n",
                                        out, error));
    CHECK(out.empty());
    CHECK(error.line == 3);
    CHECK(error.field == bad.field);
    CHECK(error.code == bad.code);
  }
}

TEST_CASE("the province's catalog entries and the CSV's get the same text check", "[catalog][check]") {
  hn::CatalogModel m;
  m.model_code = "M1";
  m.brand = "海信";
  m.name = "彩电";
  m.spec = "26英寸";
  CHECK(hn::check_catalog_text(m).ok());
  m.spec = "26" + kEsc + "p";
  const auto c = hn::check_catalog_text(m);
  CHECK(c.field == "spec");
  CHECK(c.code() == "TEXT_CONTROL_CHAR");
}

TEST_CASE("CSV fields, rows and field counts past their limits are refused with the line", "[csv][check]") {
  hn::CsvTable table;
  hn::CsvError error;
  const std::string header = "a,b\n";
  CHECK(hn::parse_csv(header + std::string(hn::kMaxCsvFieldBytes, 'x') + ",y\n", table, error));
  CHECK_FALSE(hn::parse_csv(header + std::string(hn::kMaxCsvFieldBytes + 1, 'x') + ",y\n", table, error));
  CHECK(error.line == 2);
  CHECK(error.what_en.find("4096") != std::string::npos);
  CHECK_FALSE(hn::parse_csv(header + "\"" + std::string(10 * 1024 * 1024, 'x'), table, error));
  CHECK(error.line == 2);
  std::string many;
  for (std::size_t i = 0; i < hn::kMaxCsvFields; ++i) many += (i ? "," : "") + std::string("f");
  CHECK(hn::parse_csv(header + many + "\n", table, error));
  CHECK_FALSE(hn::parse_csv(header + many + ",f\n", table, error));
  CHECK(error.what_en.find("64 fields") != std::string::npos);
  std::string wide;
  while (wide.size() <= hn::kMaxCsvRowBytes) wide += std::string(4000, 'w') + ",";
  CHECK_FALSE(hn::parse_csv(header + wide + "\n", table, error));
  CHECK(error.line == 2);
}

TEST_CASE("a goods receipt naming an unknown model quotes at most 60 characters of it", "[cards][message]") {
  hn::Catalog catalog;
  std::vector<hn::CardReceiptRow> rows;
  hn::ImportMessage error;
  REQUIRE_FALSE(hn::parse_card_batch_csv("card_no,serial_no,model_code\n34080100000000010001,S1," +
                                             std::string(3000, 'M') + kEsc + "\n",
                                         catalog, rows, error));
  CHECK(error.field == "model_code");
  CHECK(error.message_en.size() < 200);
  CHECK(error.message_en.find(kEsc) == std::string::npos);
}

TEST_CASE("a policy phase whose id or name holds a control character is refused", "[policy][check]") {
  const std::string rest = "effective_from = 2008-12-01\n[tv]\nactive = yes\ncap = 2000\nhousehold_limit = 1\nsubsidy_rate = 13\n";
  hn::PolicyPhase phase;
  hn::ImportMessage error;
  CHECK(hn::parse_policy_file("id = X1\nname_zh = 试点\n" + rest, phase, error));
  CHECK_FALSE(hn::parse_policy_file("id = X1\nname_zh = 试" + kEsc + "[31m点\n" + rest, phase, error));
  CHECK(error.field == "name_zh");
  CHECK(error.code == "TEXT_CONTROL_CHAR");
  CHECK_FALSE(hn::parse_policy_file("id = X" + kRlo + "1\n" + rest, phase, error));
  CHECK(error.field == "id");
  CHECK_FALSE(hn::parse_policy_file("id = " + std::string(33, '9') + "\n" + rest, phase, error));
  CHECK(error.code == "TEXT_TOO_LONG");
  // An unknown key of any length is named cut and escaped.
  CHECK_FALSE(hn::parse_policy_file("id = X1\n" + std::string(500, 'k') + kEsc + " = 1\n" + rest, phase, error));
  CHECK(error.field.size() < 80);
  CHECK(error.text().find(kEsc) == std::string::npos);
}

TEST_CASE("the buyer's name and household are checked as stored, trimmed", "[policy][check]") {
  hn::Buyer b;
  b.name = "  王秀英 \n";
  b.household = "3413220012";
  CHECK(hn::check_buyer_text(b).ok());
  b.name = "王" + kEsc + "p秀英";
  CHECK(hn::check_buyer_text(b).field == "buyer_name");
  b.name = "王秀英";
  b.household = "34132\r\n20012";
  CHECK(hn::check_buyer_text(b).field == "household");
}

TEST_CASE("the text invoice and the spreadsheet never carry a stored control character", "[invoice][print]") {
  hn::Invoice inv;
  inv.invoice_no = "00000001";
  inv.buyer_name = "王" + kEsc + "p秀英";
  inv.outlet_name = "萧县\r\n合计 Total: 0.00";
  inv.lines.push_back({"34080100000000010001", "S1", "M1", hn::Category::Tv, "海信" + kRlo, std::string("彩电\0x", 8), "26" + kEsc,
                       199900, 25987, ""});
  const std::string text = hn::render_invoice_text(inv, 48);
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    CHECK(((u >= 0x20 && u != 0x7F) || c == '\n'));
  }
  CHECK(text.find(kRlo) == std::string::npos);
  CHECK(hn::spreadsheet_cell("李" + kEsc + "[2J") == "李\xEF\xBF\xBD[2J");
  CHECK(hn::spreadsheet_cell("=cmd" + kEsc) == "'=cmd\xEF\xBF\xBD");
}
