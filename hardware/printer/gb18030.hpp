#pragma once
// GB18030, the character set of Chinese receipt printers (in their Chinese mode), to and from
// UTF-8 with glibc's iconv. GB18030 covers all of Unicode, so encoding fails only on invalid
// UTF-8.
#include <optional>
#include <string>
#include <string_view>

namespace hn::printer {

std::optional<std::string> utf8_to_gb18030(std::string_view utf8);
// Undecodable bytes become U+FFFD; `clean` (when given) says whether there were none.
std::string gb18030_to_utf8(std::string_view gb, bool* clean = nullptr);

}  // namespace hn::printer
