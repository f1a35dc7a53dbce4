// ID numbers as typed or read (GB 11643): parse, validate, mask.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/id_number.hpp"
#include "fuzz_check.hpp"

using namespace hn;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const std::optional<Date> today : {std::optional<Date>{}, std::optional<Date>{Date{2009, 1, 15}}}) {
    IdNumberError error{};
    const auto id = IdNumber::parse(text, today, &error);
    if (!id) continue;
    const std::string& d = id->digits();
    FUZZ_CHECK(d.size() == 18);
    FUZZ_CHECK(text.size() == 15 || text.size() == 18);
    FUZZ_CHECK(id_check_character(std::string_view(d).substr(0, 17)) == d[17]);
    // A parsed number re-validates as itself.
    const auto again = IdNumber::parse(d, today);
    FUZZ_CHECK(again && again->digits() == d);
    FUZZ_CHECK(again->birth_date() == id->birth_date());
    FUZZ_CHECK(id->region_code() == d.substr(0, 6));
    if (today) FUZZ_CHECK(!(*today < id->birth_date()));
    // The mask shows the first four and last four, never the middle ten.
    const std::string m = id->masked();
    FUZZ_CHECK(m.size() == 18);
    FUZZ_CHECK(m.compare(0, 4, d, 0, 4) == 0 && m.compare(14, 4, d, 14, 4) == 0);
    FUZZ_CHECK(m.substr(4, 10) == std::string(10, '*'));
    FUZZ_CHECK(mask_id_text(d) == m);
  }
  // Any text: the mask never grows or shrinks and hides all but eight bytes.
  const std::string m = mask_id_text(text);
  FUZZ_CHECK(m.size() == text.size());
  if (text.size() > 8) {
    FUZZ_CHECK(m.compare(0, 4, text.substr(0, 4)) == 0);
    FUZZ_CHECK(m.compare(text.size() - 4, 4, text.substr(text.size() - 4)) == 0);
    FUZZ_CHECK(m.substr(4, text.size() - 8) == std::string(text.size() - 8, '*'));
  } else {
    FUZZ_CHECK(m == std::string(text.size(), '*'));
  }
  const char c = id_check_character(text);
  FUZZ_CHECK(c == '?' || c == 'X' || (c >= '0' && c <= '9'));
  return 0;
}
