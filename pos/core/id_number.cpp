#include "core/id_number.hpp"

namespace hn {

namespace {
constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheck[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Province-level codes of GB/T 2260 (first two digits of every ID number).
bool is_province_code(int p) {
  switch (p) {
    case 11: case 12: case 13: case 14: case 15:
    case 21: case 22: case 23:
    case 31: case 32: case 33: case 34: case 35: case 36: case 37:
    case 41: case 42: case 43: case 44: case 45: case 46:
    case 50: case 51: case 52: case 53: case 54:
    case 61: case 62: case 63: case 64: case 65:
    case 71: case 81: case 82:
      return true;
    default:
      return false;
  }
}

std::optional<IdNumber> fail(IdNumberError* out, IdNumberError e) {
  if (out) *out = e;
  return std::nullopt;
}
}  // namespace

char id_check_character(std::string_view first17) {
  if (first17.size() < 17) return '?';
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    // A non-digit would make the sum negative and index before kCheck (found by fuzzing).
    if (!is_digit(first17[i])) return '?';
    sum += (first17[i] - '0') * kWeights[i];
  }
  return kCheck[sum % 11];
}

std::optional<IdNumber> IdNumber::parse(std::string_view text, std::optional<Date> today,
                                        IdNumberError* error) {
  if (text.empty()) return fail(error, IdNumberError::Empty);
  if (text.size() != 15 && text.size() != 18) return fail(error, IdNumberError::WrongLength);
  std::string s(text);
  if (s.size() == 18 && s[17] == 'x') s[17] = 'X';
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool last_x = s.size() == 18 && i == 17 && s[i] == 'X';
    if (!is_digit(s[i]) && !last_x) return fail(error, IdNumberError::BadCharacter);
  }
  if (!is_province_code((s[0] - '0') * 10 + (s[1] - '0')))
    return fail(error, IdNumberError::BadRegion);
  if (s.size() == 15) {
    // First-generation numbers: 6-digit region, YYMMDD (all 19xx), 3-digit sequence.
    s = s.substr(0, 6) + "19" + s.substr(6);
    s += id_check_character(s);
  }
  const auto birth = parse_compact_date(std::string_view(s).substr(6, 8));
  if (!birth || (today && *today < *birth)) return fail(error, IdNumberError::BadBirthDate);
  if (id_check_character(s) != s[17]) return fail(error, IdNumberError::BadCheckDigit);
  IdNumber id;
  id.digits_ = std::move(s);
  id.birth_ = *birth;
  return id;
}

std::string IdNumber::masked() const { return mask_id_text(digits_); }

std::string mask_id_text(std::string_view text) {
  if (text.size() <= 8) return std::string(text.size(), '*');
  return std::string(text.substr(0, 4)) + std::string(text.size() - 8, '*') +
         std::string(text.substr(text.size() - 4));
}

}  // namespace hn
