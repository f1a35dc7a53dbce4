#include "document/layout.hpp"

namespace hn::document {

namespace {

Layout id_front() {
  Layout l;
  l.kind = Kind::IdFront;
  l.width_mm = 85.6;
  l.height_mm = 54.0;
  const double label = 2.7;
  l.texts = {{"姓名", 4.5, 5.6, label}, {"性别", 4.5, 12.1, label}, {"民族", 21.0, 12.1, label},
             {"出生", 4.5, 18.6, label}, {"住址", 4.5, 25.1, label}, {"公民身份号码", 4.5, 45.8, label}};
  l.fields = {
      {"name", {12.0, 4.2, 38.0, 5.6}, Script::Chinese, 4.2},
      {"sex", {12.0, 11.0, 7.0, 4.6}, Script::Chinese, 3.4},
      {"nation", {28.5, 11.0, 20.0, 4.6}, Script::Chinese, 3.4},
      {"birth", {12.0, 17.5, 38.0, 4.6}, Script::Chinese, 3.4},
      {"address", {12.0, 24.0, 38.5, 14.4}, Script::Chinese, 3.2, 3},
      {"id_number", {26.0, 44.3, 56.0, 5.6}, Script::IdNumber, 3.9},
  };
  l.solid = {{53.5, 6.0, 26.0, 32.0}};  // the photo
  return l;
}

Layout id_back() {
  Layout l;
  l.kind = Kind::IdBack;
  l.width_mm = 85.6;
  l.height_mm = 54.0;
  l.texts = {{"中华人民共和国", 28.0, 7.0, 4.2, true, false},
             {"居民身份证", 26.0, 15.5, 8.0, true, false},
             {"签发机关", 12.0, 38.2, 2.7},
             {"有效期限", 12.0, 45.2, 2.7}};
  l.fields = {
      {"issuer", {27.5, 36.9, 55.0, 5.0}, Script::Chinese, 3.3},
      {"validity", {27.5, 43.9, 55.0, 5.0}, Script::Chinese, 3.3},
  };
  l.solid = {{5.0, 4.5, 15.5, 15.5}};  // the national emblem
  return l;
}

// The 户口簿 pages: 143 x 105 mm, a table under a title.
constexpr double kPageW = 143.0, kPageH = 105.0;

Layout hukou_first() {
  Layout l;
  l.kind = Kind::HukouFirst;
  l.width_mm = kPageW;
  l.height_mm = kPageH;
  const double top = 24, row = 17, x0 = 10, x1 = 34, x2 = 74, x3 = 96, x4 = 133;
  l.texts = {{"户口簿", 57.0, 7.0, 9.0, true, false},
             {"户别", x0 + 5, top + 6, 4.0},
             {"户主姓名", x2 + 2, top + 6, 4.0},
             {"户号", x0 + 5, top + row + 6, 4.0},
             {"承办人签章", x2 + 1, top + row + 6, 3.6},
             {"住址", x0 + 5, top + 2 * row + 6, 4.0},
             {"户口登记机关", x0 + 1.5, top + 3 * row + 6.5, 3.2},
             {"户口专用章", x2 + 1.5, top + 3 * row + 6.5, 3.6}};
  for (int r = 0; r <= 4; ++r) l.rules.push_back({x0, top + r * row, x4, top + r * row});
  l.rules.push_back({x0, top, x0, top + 4 * row});
  l.rules.push_back({x4, top, x4, top + 4 * row});
  l.rules.push_back({x1, top, x1, top + 4 * row});
  l.rules.push_back({x2, top, x2, top + 2 * row});
  l.rules.push_back({x3, top, x3, top + 2 * row});
  l.rules.push_back({x2, top + 3 * row, x2, top + 4 * row});
  l.rules.push_back({x3, top + 3 * row, x3, top + 4 * row});
  const double in = 1.8;
  l.fields = {
      {"hukou_type", {x1 + in, top + in, x2 - x1 - 2 * in, row - 2 * in}, Script::Chinese, 4.6},
      {"head_name", {x3 + in, top + in, x4 - x3 - 2 * in, row - 2 * in}, Script::Chinese, 4.6},
      {"household_no", {x1 + in, top + row + in, x2 - x1 - 2 * in, row - 2 * in}, Script::Digits, 4.6},
      {"address", {x1 + in, top + 2 * row + in, x4 - x1 - 2 * in, row - 2 * in}, Script::Chinese, 4.2},
      {"authority", {x1 + in, top + 3 * row + in, x2 - x1 - 2 * in, row - 2 * in}, Script::Chinese, 3.4},
  };
  l.solid = {{x3 + 8, top + 3 * row - 6, 24, 24}};  // the red seal over the last row
  return l;
}

Layout hukou_member() {
  Layout l;
  l.kind = Kind::HukouMember;
  l.width_mm = kPageW;
  l.height_mm = kPageH;
  const double top = 20, row = 10.5, x0 = 8, x1 = 30, x2 = 72, x3 = 100, x4 = 135;
  l.texts = {{"常住人口登记卡", 46.0, 5.5, 7.0, true, false},
             {"姓名", x0 + 2, top + 3.2, 3.6},
             {"户主或与户主关系", x2 + 0.8, top + 3.6, 2.9},
             {"曾用名", x0 + 2, top + row + 3.2, 3.6},
             {"性别", x2 + 2, top + row + 3.2, 3.6},
             {"出生地", x0 + 2, top + 2 * row + 3.2, 3.6},
             {"民族", x2 + 2, top + 2 * row + 3.2, 3.6},
             {"籍贯", x0 + 2, top + 3 * row + 3.2, 3.6},
             {"出生日期", x2 + 2, top + 3 * row + 3.2, 3.6},
             {"公民身份证件编号", x0 + 2, top + 4 * row + 3.4, 3.3},
             {"身高", x0 + 2, top + 5 * row + 3.2, 3.6},
             {"血型", x2 + 2, top + 5 * row + 3.2, 3.6},
             {"文化程度", x0 + 2, top + 6 * row + 3.2, 3.6},
             {"婚姻状况", x2 + 2, top + 6 * row + 3.2, 3.6}};
  for (int r = 0; r <= 7; ++r) l.rules.push_back({x0, top + r * row, x4, top + r * row});
  l.rules.push_back({x0, top, x0, top + 7 * row});
  l.rules.push_back({x4, top, x4, top + 7 * row});
  for (int r = 0; r < 7; ++r) {
    if (r == 4) {
      l.rules.push_back({x1 + 20, top + r * row, x1 + 20, top + (r + 1) * row});
      continue;
    }
    l.rules.push_back({x1, top + r * row, x1, top + (r + 1) * row});
    l.rules.push_back({x2, top + r * row, x2, top + (r + 1) * row});
    l.rules.push_back({x3, top + r * row, x3, top + (r + 1) * row});
  }
  const double in = 1.3, h = row - 2 * in;
  l.fields = {
      {"name", {x1 + in, top + in, x2 - x1 - 2 * in, h}, Script::Chinese, 4.4},
      {"relation", {x3 + in, top + in, x4 - x3 - 2 * in, h}, Script::Chinese, 4.0},
      {"sex", {x3 + in, top + row + in, x4 - x3 - 2 * in, h}, Script::Chinese, 4.0},
      {"nation", {x3 + in, top + 2 * row + in, x4 - x3 - 2 * in, h}, Script::Chinese, 4.0},
      {"birth", {x3 + in, top + 3 * row + in, x4 - x3 - 2 * in, h}, Script::Chinese, 3.2},
      {"id_number", {x1 + 20 + in, top + 4 * row + in, x4 - x1 - 20 - 2 * in, h}, Script::IdNumber, 4.4},
  };
  return l;
}

const Layout kLayouts[] = {id_front(), id_back(), hukou_first(), hukou_member()};

}  // namespace

std::string_view kind_code(Kind k) {
  switch (k) {
    case Kind::IdFront: return "id-front";
    case Kind::IdBack: return "id-back";
    case Kind::HukouFirst: return "hukou-first";
    case Kind::HukouMember: return "hukou-member";
  }
  return "?";
}

std::string_view kind_name_zh(Kind k) {
  switch (k) {
    case Kind::IdFront: return "身份证人像面";
    case Kind::IdBack: return "身份证国徽面";
    case Kind::HukouFirst: return "户口簿首页";
    case Kind::HukouMember: return "户口簿个人页";
  }
  return "?";
}

std::string_view kind_name_en(Kind k) {
  switch (k) {
    case Kind::IdFront: return "ID card, front";
    case Kind::IdBack: return "ID card, back";
    case Kind::HukouFirst: return "household register, first page";
    case Kind::HukouMember: return "household register, member page";
  }
  return "?";
}

std::optional<Kind> parse_kind(std::string_view code) {
  for (Kind k : kAllKinds)
    if (kind_code(k) == code) return k;
  return std::nullopt;
}

bool is_id_card(Kind k) { return k == Kind::IdFront || k == Kind::IdBack; }

const FieldSpec* Layout::field(std::string_view name) const {
  for (const auto& f : fields)
    if (name == f.name) return &f;
  return nullptr;
}

const Layout& layout(Kind k) { return kLayouts[static_cast<int>(k)]; }

}  // namespace hn::document
