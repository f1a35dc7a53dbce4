#pragma once
// UTF-8 text helpers for fixed-width layouts (invoices, receipts, reports).
#include <string>
#include <string_view>
#include <vector>

namespace hn {

bool is_valid_utf8(std::string_view s);
// Display columns on a terminal or a receipt printer: CJK and full-width characters count
// two, combining marks zero, everything else one.
int display_width(std::string_view utf8);
// Pads with spaces on the right (left-aligned) or on the left (right-aligned) to `width`
// columns; text wider than `width` is returned unchanged.
std::string pad_right(std::string_view utf8, int width);
std::string pad_left(std::string_view utf8, int width);
std::string trim(std::string_view s);
// Greedy wrapping to `width` display columns for paper: between CJK characters anywhere, Latin
// text at spaces (a word longer than the line is cut), closing punctuation never starting a
// line, ￥ and opening brackets kept with what follows.
std::vector<std::string> wrap_text(const std::string& utf8, int width);

}  // namespace hn
