#include "printer/escpos.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "printer/gb18030.hpp"

namespace hn::printer::escpos {

Writer& Writer::put(std::initializer_list<int> bytes) {
  for (int b : bytes) out_.push_back(static_cast<char>(b & 0xFF));
  return *this;
}

Writer& Writer::initialize() { return put({ESC, '@'}); }
Writer& Writer::chinese_mode(bool on) { return put({FS, on ? '&' : '.'}); }
Writer& Writer::align(Align a) { return put({ESC, 'a', static_cast<int>(a)}); }
Writer& Writer::bold(bool on) { return put({ESC, 'E', on ? 1 : 0}); }

Writer& Writer::size(int width, int height) {
  width = std::clamp(width, 1, 8);
  height = std::clamp(height, 1, 8);
  return put({GS, '!', ((width - 1) << 4) | (height - 1)});
}

bool Writer::text(std::string_view utf8) {
  // The second line of defence: text that reached the database before control characters were
  // refused (or through a damaged file) must never become a printer command. ESC, GS, FS, DLE,
  // CR, LF, NUL, C1 and bidi controls, and bytes that are not UTF-8, print as '?'.
  const auto gb = utf8_to_gb18030(printable_text(utf8, "?"));
  if (!gb) return false;
  out_ += *gb;
  return true;
}

Writer& Writer::line_feed() { return put({LF}); }
Writer& Writer::feed_lines(int n) { return put({ESC, 'd', std::clamp(n, 0, 255)}); }

Writer& Writer::qr_code(std::string_view data, int module_size, QrErrorLevel level) {
  // fn 165 model 2; fn 167 module size; fn 169 error level; fn 180 store; fn 181 print.
  put({GS, '(', 'k', 4, 0, 49, 65, 50, 0});
  put({GS, '(', 'k', 3, 0, 49, 67, std::clamp(module_size, 1, 16)});
  put({GS, '(', 'k', 3, 0, 49, 69, static_cast<int>(level)});
  const std::size_t n = std::min<std::size_t>(data.size(), 7089) + 3;
  put({GS, '(', 'k', static_cast<int>(n & 0xFF), static_cast<int>(n >> 8), 49, 80, 48});
  out_.append(data.substr(0, n - 3));
  return put({GS, '(', 'k', 3, 0, 49, 81, 48});
}

Writer& Writer::cut(bool partial) { return put({GS, 'V', partial ? 66 : 65, 0}); }

Writer& Writer::kick_drawer(int pin, int on_ms, int off_ms) {
  return put(
      {ESC, 'p', pin == 5 ? 1 : 0, std::clamp(on_ms / 2, 1, 255), std::clamp(off_ms / 2, 1, 255)});
}

Writer& Writer::raw(std::string_view bytes) {
  out_.append(bytes);
  return *this;
}

std::string status_request(StatusQuery q) { return {DLE, EOT, static_cast<char>(q)}; }

bool is_status_byte(std::uint8_t b) { return (b & 0x93) == 0x12; }

void apply_status(PrinterStatus& s, StatusQuery q, std::uint8_t b) {
  s.answered = true;
  switch (q) {
    case StatusQuery::Printer:
      s.offline = s.offline || (b & 0x08);
      break;
    case StatusQuery::Offline:
      s.cover_open = s.cover_open || (b & 0x04);
      s.paper_out = s.paper_out || (b & 0x20);
      s.error = s.error || (b & 0x40);
      break;
    case StatusQuery::Error:
      s.error = s.error || (b & 0x68);
      break;
    case StatusQuery::PaperRoll:
      s.paper_near_end = s.paper_near_end || (b & 0x0C);
      s.paper_out = s.paper_out || (b & 0x60);
      break;
  }
}

}  // namespace hn::printer::escpos
