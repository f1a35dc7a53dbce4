// The checks on what OCR read, on strings alone: what is believed, what is doubtful, and that an
// ID number failing its check digit is never handed on.
#include <catch2/catch.hpp>

#include "document/fields.hpp"

using namespace hn::document;

namespace {
FieldReading raw(const char* name, const char* text, int confidence = 95) {
  FieldReading f;
  f.name = name;
  f.raw = text;
  f.confidence = confidence;
  return f;
}
const FieldReading& get(const std::vector<FieldReading>& v, const char* name) {
  for (const auto& f : v)
    if (f.name == name) return f;
  FAIL("no field " << name);
  return v.front();
}
}  // namespace

TEST_CASE("an ID card front whose number, birth date and sex agree is read without doubt", "[document]") {
  std::vector<FieldReading> f = {raw("name", "张 伟"), raw("sex", "男", 40), raw("nation", "汉"),
                                 raw("birth", "1980 年 1 月 1 日", 30), raw("address", "安徽省萧县龙城镇光明村3组19号"),
                                 raw("id_number", "341322198001011239", 50)};
  CHECK(check_fields(Kind::IdFront, f, 70, std::nullopt) == IdCheck::Ok);
  CHECK(get(f, "name").text == "张伟");
  CHECK(get(f, "birth").text == "1980-01-01");
  // Low scores on the birth date, the sex and the number: confirmed by each other.
  CHECK_FALSE(get(f, "birth").doubtful);
  CHECK_FALSE(get(f, "sex").doubtful);
  CHECK_FALSE(get(f, "id_number").doubtful);
}

TEST_CASE("an ID number failing its check digit is never returned, not even as raw text", "[document]") {
  std::vector<FieldReading> f = {raw("birth", "1980年1月1日"), raw("id_number", "341322198001011238")};
  CHECK(check_fields(Kind::IdFront, f, 70, std::nullopt) == IdCheck::CheckDigitFails);
  CHECK(get(f, "id_number").text.empty());
  CHECK(get(f, "id_number").raw.empty());
  CHECK(get(f, "id_number").doubtful);
}

TEST_CASE("a number whose birth date is not the printed one is doubtful, and so is the date", "[document]") {
  std::vector<FieldReading> f = {raw("birth", "1980年1月2日"), raw("id_number", "341322198001011239")};
  CHECK(check_fields(Kind::IdFront, f, 70, std::nullopt) == IdCheck::BirthMismatch);
  CHECK(get(f, "id_number").doubtful);
  CHECK(get(f, "birth").doubtful);
  std::vector<FieldReading> g = {raw("birth", "19B0年1月"), raw("id_number", "341322198001011239")};
  CHECK(check_fields(Kind::IdFront, g, 70, std::nullopt) == IdCheck::BirthUnread);
  CHECK(get(g, "id_number").doubtful);
}

TEST_CASE("a printed sex that the number contradicts makes both doubtful", "[document]") {
  std::vector<FieldReading> f = {raw("sex", "女"), raw("birth", "1980年1月1日"), raw("id_number", "341322198001011239")};
  CHECK(check_fields(Kind::IdFront, f, 70, std::nullopt) == IdCheck::SexMismatch);
  CHECK(get(f, "sex").doubtful);
  CHECK(get(f, "id_number").doubtful);
}

TEST_CASE("户别 is believed only in a printed form, and one that does not say 农业 is the clerk's call", "[document][policy]") {
  CHECK(parse_hukou_type("农业 家庭户口")->type == HukouType::Agricultural);
  CHECK(parse_hukou_type("非农业家庭户口")->type == HukouType::NonAgricultural);
  CHECK(parse_hukou_type("家庭户口")->type == HukouType::Unstated);
  CHECK_FALSE(parse_hukou_type("农亚家庭户口"));
  std::vector<FieldReading> f = {raw("hukou_type", "家庭户口")};
  check_fields(Kind::HukouFirst, f, 70, std::nullopt);
  CHECK(get(f, "hukou_type").doubtful);  // POLICY R4
  // 非 dropped by OCR: the ink in the box holds seven characters, six were read.
  std::vector<FieldReading> g = {raw("hukou_type", "农业家庭户口", 99)};
  g[0].ink_chars = 6.9;
  check_fields(Kind::HukouFirst, g, 70, std::nullopt);
  CHECK(get(g, "hukou_type").doubtful);
  std::vector<FieldReading> h = {raw("hukou_type", "农业家庭户口", 99)};
  h[0].ink_chars = 5.9;
  check_fields(Kind::HukouFirst, h, 70, std::nullopt);
  CHECK_FALSE(get(h, "hukou_type").doubtful);
}

TEST_CASE("fields that cannot be what their box holds are doubtful whatever the confidence", "[document]") {
  std::vector<FieldReading> f = {raw("nation", "汊"), raw("issuer", "来安只公安局"), raw("address", "湖南省邵东县东风村128145一"),
                                 raw("validity", "2010.05.01-2019.05.01"), raw("household_no", "79276")};
  check_fields(Kind::IdBack, f, 70, std::nullopt);
  for (const auto& x : f) CHECK(x.doubtful);
  std::vector<FieldReading> g = {raw("issuer", "来安县公安局"), raw("validity", "2010.05.01-长期")};
  check_fields(Kind::IdBack, g, 70, std::nullopt);
  CHECK_FALSE(get(g, "issuer").doubtful);
  CHECK(get(g, "validity").text == "2010.05.01-长期");
  CHECK_FALSE(get(g, "validity").doubtful);
}

TEST_CASE("a household register page is cross-checked with the ID card", "[document]") {
  std::vector<FieldReading> card = {raw("name", "张伟"), raw("id_number", "341322198001011239")};
  std::vector<FieldReading> page = {raw("name", "张伟"), raw("id_number", "341322198001011239")};
  for (auto* v : {&card, &page}) {
    (*v)[0].text = "张伟";
    (*v)[1].text = "341322198001011239";
  }
  CHECK(cross_check(card, page).empty());
  page[0].text = "张玮";
  const auto m = cross_check(card, page);
  REQUIRE(m.size() == 1);
  CHECK(m[0].field == "name");
}
