#pragma once
// What a read field means, and whether to believe it: the text OCR gave, normalised, checked
// against what that field can hold (a real date, a nation of GB 3304, a 户别 the register
// prints) and against the other fields of the same document (the ID number's check digit,
// birth date and sex). No pixels and no OCR here: plain functions, unit-tested on strings.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "document/layout.hpp"

namespace hn::document {

struct FieldReading {
  std::string name;        // "name", "id_number", "hukou_type", ...
  std::string text;        // normalised value; empty when nothing trustworthy was read
  std::string raw;         // what OCR gave (empty for an ID number that failed its check)
  int confidence = 0;      // 0-100: Tesseract's confidence in the least sure character
  bool doubtful = true;    // the clerk must look at it before it is used
  std::string why_zh, why_en;  // why it is doubtful
  double ink_chars = 0;    // characters the ink in the box suggests (0: not measured)
};

// The ID number's state, the heart of the reading: it is accepted only when its GB 11643 check
// character holds and its birth date is the one printed on the same document.
enum class IdCheck {
  None,             // the document carries no ID number (ID card back, 户口簿 first page)
  Unread,           // nothing like 18 characters was read
  CheckDigitFails,  // 18 characters whose check character does not hold: never returned
  BirthUnread,      // the check holds, the printed birth date could not be read to compare
  BirthMismatch,    // the check holds, but the number's birth date is not the printed one
  SexMismatch,      // the check and birth date hold, the number's sex digit is not the printed sex
  Ok,
};
std::string_view id_check_code(IdCheck c);  // "none" "unread" "check_digit_fails" ...
std::string id_check_zh(IdCheck c);
std::string id_check_en(IdCheck c);

// 户别 as the register prints it, and what it says about POLICY R4.
enum class HukouType { Agricultural, NonAgricultural, Unstated };
struct HukouTypeReading {
  std::string text;  // one of the printed forms, e.g. 农业家庭户口
  HukouType type = HukouType::Unstated;
};
// Exactly one of the printed forms (spaces ignored); nullopt otherwise.
std::optional<HukouTypeReading> parse_hukou_type(std::string_view text);

// Helpers, exposed for the tests.
std::string strip_spaces(std::string_view s);
// Digits fixed for the usual confusions (O->0, l/I/|->1, S->5, B->8, Z->2) in numeric places.
std::string digits_only(std::string_view s, bool allow_x_last);
std::optional<Date> parse_printed_date(std::string_view text);        // 1980年1月1日, 1980.01.01
std::size_t utf8_length(std::string_view s);
bool all_cjk(std::string_view s);
// Nation name (汉, 蒙古, ...) read to its GB 3304 code; nullopt when not a nation.
std::optional<std::string> nation_code_of(std::string_view name);

// The checks of one document: fills text/doubtful/why of every field from its raw text and
// confidence, and returns the ID number's state. `min_confidence` is the bar under which a field
// is doubtful whatever its form.
IdCheck check_fields(Kind kind, std::vector<FieldReading>& fields, int min_confidence,
                     std::optional<Date> today);

// A 户口簿 member page against the ID card of the same person: what differs (name, ID number),
// in both languages; empty when they agree. Fields not read on either side are not compared.
struct Mismatch {
  std::string field;
  std::string zh, en;
};
std::vector<Mismatch> cross_check(const std::vector<FieldReading>& id_front,
                                  const std::vector<FieldReading>& hukou_member);

}  // namespace hn::document
