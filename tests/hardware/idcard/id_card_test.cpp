// The card's text block: UCS-2LE fields, rare characters, nations, dates, and the simulator's
// built-in cards.
#include <catch2/catch.hpp>

#include <set>

#include "core/id_number.hpp"
#include "id_card.hpp"
#include "reader_simulator.hpp"

using namespace hn;
using namespace hn::hw;

namespace {
std::string decode(std::initializer_list<int> values) {
  Bytes b;
  for (const int v : values) b.push_back(static_cast<std::uint8_t>(v));
  return ucs2le_to_utf8(b.data(), b.size());
}
}  // namespace

TEST_CASE("UCS-2LE code units become UTF-8, low byte first", "[idcard]") {
  CHECK(decode({0x31, 0x00}) == "1");
  CHECK(decode({0x20, 0x5F, 0x1F, 0x4F}) == "张伟");  // U+5F20 U+4F1F
  CHECK(decode({0xB7, 0x00}) == "\xC2\xB7");          // the middle dot of 阿依古丽·买买提
}

TEST_CASE("rare name characters decode, CJK Extension A included", "[idcard]") {
  // 䶮 U+4DAE (Extension A, as in 刘䶮) and 龑 U+9F91 (the end of the basic CJK block).
  CHECK(decode({0xAE, 0x4D}) == "\xE4\xB6\xAE");
  CHECK(decode({0xAE, 0x4D}) == "䶮");
  CHECK(decode({0x91, 0x9F}) == "\xE9\xBE\x91");
  CHECK(decode({0x18, 0x52, 0xAE, 0x4D}) == "刘䶮");
  // 㐀 U+3400, the first character of Extension A.
  CHECK(decode({0x00, 0x34}) == "\xE3\x90\x80");
}

TEST_CASE("what UCS-2 cannot hold is decoded without losing the rest", "[idcard]") {
  // A surrogate pair (UTF-16) for U+20000 𠀀, which some writers produce anyway.
  CHECK(decode({0x40, 0xD8, 0x00, 0xDC}) == "\xF0\xA0\x80\x80");
  // A lone surrogate and a half code unit become U+FFFD; the neighbours survive.
  CHECK(decode({0x41, 0x00, 0x40, 0xD8, 0x42, 0x00}) ==
        "A\xEF\xBF\xBD"
        "B");
  CHECK(decode({0x41, 0x00, 0x42}) == "A\xEF\xBF\xBD");
}

TEST_CASE("a field loses its space padding, and a field that does not fit is refused", "[idcard]") {
  const auto name = encode_field("刘䶮", kNameField);
  REQUIRE(name);
  REQUIRE(name->size() == 30);
  CHECK((*name)[0] == 0x18);
  CHECK((*name)[1] == 0x52);
  CHECK((*name)[2] == 0xAE);
  CHECK((*name)[3] == 0x4D);
  CHECK((*name)[4] == 0x20);  // padded with U+0020
  CHECK((*name)[5] == 0x00);
  Bytes block(kCardTextBytes, 0);
  std::copy(name->begin(), name->end(), block.begin());
  CHECK(decode_field(block, kNameField) == "刘䶮");

  CHECK_FALSE(encode_field("一二三四五六七八九十一二三四五六", kNameField));  // 16 characters > 15
  CHECK_FALSE(encode_field("\xF0\xA0\x80\x80", kNameField));                  // outside the BMP
  CHECK_FALSE(encode_field("\xFF", kNameField));                              // not UTF-8
}

TEST_CASE("the text block's fields follow the layout of the card", "[idcard]") {
  CHECK(kNameField.bytes + kSexField.bytes + kNationField.bytes + kBirthField.bytes +
            kAddressField.bytes + kIdNumberField.bytes + kIssuerField.bytes +
            kValidFromField.bytes + kValidToField.bytes + kReservedField.bytes ==
        kCardTextBytes);
  CHECK(kReservedField.offset + kReservedField.bytes == kCardTextBytes);
  CHECK(kIdNumberField.offset == 122);
}

TEST_CASE("the nation table holds the 56 nations by their GB 3304 codes", "[idcard]") {
  std::set<std::string> names;
  for (int code = 1; code <= 56; ++code) {
    const std::string c = (code < 10 ? "0" : "") + std::to_string(code);
    const char* name = nation_name(c);
    REQUIRE(name != nullptr);
    names.insert(name);
  }
  CHECK(names.size() == 56);
  CHECK(std::string(nation_name("01")) == "汉");
  CHECK(std::string(nation_name("03")) == "回");
  CHECK(std::string(nation_name("05")) == "维吾尔");
  CHECK(std::string(nation_name("56")) == "基诺");
  CHECK(nation_name("57") == nullptr);
  CHECK(nation_name("1") == nullptr);
}

TEST_CASE("a card's derived facts: sex, county, expiry", "[idcard]") {
  IdCard c;
  c.sex_code = "2";
  c.nation_code = "99";
  c.id_number = "341322198003121239";
  c.valid_to = "20350601";
  CHECK(c.sex_zh() == "女");
  CHECK(c.sex_en() == "female");
  CHECK(c.nation() == "99");  // unknown codes are shown as they are
  CHECK(c.county() == "341322");
  CHECK_FALSE(c.expired(Date{2035, 6, 1}));  // the last day printed is still valid
  CHECK(c.expired(Date{2035, 6, 2}));
  c.valid_to = "长期";
  CHECK(c.long_term());
  CHECK_FALSE(c.expired(Date{2199, 12, 31}));
}

TEST_CASE("every built-in card survives the text block and carries a valid ID number",
          "[idcard][sim]") {
  int in_341322 = 0;
  for (const auto& sc : builtin_cards()) {
    INFO(sc.key);
    const auto text = encode_id_card_text(sc.card);
    REQUIRE(text);
    REQUIRE(text->size() == kCardTextBytes);
    const auto back = parse_id_card(*text, sc.card.photo);
    REQUIRE(back);
    CHECK(back->name == sc.card.name);
    CHECK(back->address == sc.card.address);
    CHECK(back->valid_to == sc.card.valid_to);
    CHECK(back->photo.size() == kCardPhotoBytes);
    // GB 11643: the check digit and the birth date agree with the card.
    const auto id = IdNumber::parse(back->id_number, Date{2026, 11, 27});
    REQUIRE(id);
    CHECK(id->birth_date() == *back->birth_date());
    in_341322 += back->county() == "341322";
  }
  CHECK(in_341322 >= 5);
  CHECK(find_builtin_card("uyghur")->card.county() == "650102");
  CHECK(find_builtin_card("expired")->card.expired(Date{2026, 11, 27}));
  CHECK(find_builtin_card("long-term")->card.long_term());
  CHECK_FALSE(parse_id_card(Bytes(100, 0), {}));
}
