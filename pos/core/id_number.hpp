#pragma once
// 公民身份号码 (GB 11643-1999): the buyer's resident ID number.
#include <optional>
#include <string>
#include <string_view>

#include "core/date.hpp"

namespace hn {

enum class IdNumberError {
  Empty,
  WrongLength,     // not 15 or 18 characters
  BadCharacter,    // not digits (and a final X on 18-digit numbers)
  BadRegion,       // the first two digits are no province of GB/T 2260
  BadBirthDate,    // not a real calendar date, or in the future
  BadCheckDigit,   // ISO 7064 MOD 11-2 check character does not match
};

class IdNumber {
 public:
  // Accepts 18-digit numbers (a final 'x' is read as 'X') and first-generation 15-digit
  // numbers, which are normalised to 18 (19YY birth year, check digit computed).
  // `today` bounds the birth date; without it only the calendar is checked.
  static std::optional<IdNumber> parse(std::string_view text, std::optional<Date> today,
                                       IdNumberError* error = nullptr);

  const std::string& digits() const { return digits_; }  // the normalised 18 characters
  std::string region_code() const { return digits_.substr(0, 6); }  // county of registration
  Date birth_date() const { return birth_; }
  // 3411**********1234: the first four and last four, as on screens and in reports.
  std::string masked() const;

 private:
  std::string digits_;
  Date birth_;
};

// The check character for the first 17 digits ('0'-'9' or 'X'); '?' when given fewer, or
// when one of the first 17 is not a digit.
char id_check_character(std::string_view first17);
// Masks any ID-like string the same way, for values that did not parse.
std::string mask_id_text(std::string_view text);

}  // namespace hn
