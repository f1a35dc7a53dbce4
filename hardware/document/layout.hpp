#pragma once
// Where things are printed on the documents the counter reads without a chip reader: the two
// faces of the 居民身份证 (GA 450 layout, 85.6 x 54 mm) and two pages of the 户口簿 (household
// register: its first page, 户主页, and a member's page, 常住人口登记卡). Positions are in
// millimetres from the document's top-left corner. The reader crops fields by these boxes; the
// tests' renderer draws the documents from the same table.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hn::document {

enum class Kind { IdFront, IdBack, HukouFirst, HukouMember };
inline constexpr Kind kAllKinds[] = {Kind::IdFront, Kind::IdBack, Kind::HukouFirst, Kind::HukouMember};

std::string_view kind_code(Kind k);  // "id-front", "id-back", "hukou-first", "hukou-member"
std::string_view kind_name_zh(Kind k);
std::string_view kind_name_en(Kind k);
std::optional<Kind> parse_kind(std::string_view code);
bool is_id_card(Kind k);

struct Box {
  double x = 0, y = 0, w = 0, h = 0;  // mm
};

// How a field's characters are read.
enum class Script {
  Chinese,   // CJK text with digits (chi_sim)
  IdNumber,  // 17 digits and a digit or X
  Digits,    // digits only
};

struct FieldSpec {
  const char* name;  // JSON key: "name", "sex", "id_number", "hukou_type", ...
  Box box;
  Script script = Script::Chinese;
  double font_mm = 3.5;  // the printed character height, for the renderer
  int lines = 1;         // more than one: a block (the address)
};

// Fixed print: labels, titles, table rules. `ink` weighs how dark the thing is on the
// document when the reader matches a picture against the layout (see locate.hpp).
struct StaticText {
  const char* text;
  double x, y;  // mm, top-left of the text
  double font_mm;
  bool bold = false;
  bool label = true;  // printed in the cards' light blue/brown rather than black
};
struct Rule {
  double x0, y0, x1, y1;  // a straight table line, mm
};

struct Layout {
  Kind kind;
  double width_mm = 0, height_mm = 0;
  std::vector<StaticText> texts;
  std::vector<Rule> rules;
  std::vector<FieldSpec> fields;
  std::vector<Box> solid;  // heavily inked areas: the photo, the national emblem, a seal
  const FieldSpec* field(std::string_view name) const;
};

const Layout& layout(Kind k);

}  // namespace hn::document
