#include "core/text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <utility>
#include <vector>

namespace hn {

namespace {
// Decodes one code point at `i`, advancing it; returns -1 on a malformed sequence.
long decode(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  int len = 0;
  long cp = 0;
  if (b0 < 0x80) {
    ++i;
    return b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07;
  } else {
    return -1;
  }
  if (i + static_cast<std::size_t>(len) > s.size()) return -1;
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (b & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  static constexpr long kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  i += static_cast<std::size_t>(len);
  return cp;
}

bool is_wide(long cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
         (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

bool is_zero_width(long cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || cp == 0x200B || cp == 0x200D || cp == 0xFEFF;
}
}  // namespace

std::vector<std::uint32_t> code_points(std::string_view utf8) {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < utf8.size();) {
    const long cp = decode(utf8, i);
    if (cp < 0) return {};
    out.push_back(static_cast<std::uint32_t>(cp));
  }
  return out;
}

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size())
    if (decode(s, i) < 0) return false;
  return true;
}

int display_width(std::string_view s) {
  int width = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    const long cp = decode(s, i);
    if (cp < 0) {  // count a stray byte as one column and go on
      ++i;
      ++width;
    } else if (is_wide(cp)) {
      width += 2;
    } else if (!is_zero_width(cp)) {
      width += 1;
    }
  }
  return width;
}

std::string pad_right(std::string_view s, int width) {
  std::string out(s);
  const int w = display_width(s);
  if (w < width) out.append(static_cast<std::size_t>(width - w), ' ');
  return out;
}

std::string pad_left(std::string_view s, int width) {
  const int w = display_width(s);
  std::string out;
  if (w < width) out.append(static_cast<std::size_t>(width - w), ' ');
  out += s;
  return out;
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

namespace {

std::string rtrim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// One UTF-8 character's length from its first byte.
std::size_t char_len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xE) return 3;
  if ((c >> 3) == 0x1E) return 4;
  return 1;
}

// Units that are never broken: a run of non-space ASCII (a word), one space, or one non-ASCII
// character (CJK text may break between any two characters). A bracketed or quoted word that
// starts after a space and has none inside ("(乡镇财政所)" in English text) stays whole when it
// takes at most `whole_up_to` columns.
std::vector<std::string> units_of(const std::string& s, int whole_up_to) {
  std::vector<std::string> units;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c == '(' || c == '"') && (i == 0 || s[i - 1] == ' ')) {
      const std::size_t end = std::min(s.find(' ', i), s.size());
      const std::size_t close = s.find(c == '(' ? ')' : '"', i + 1);
      if (close < end && display_width(s.substr(i, end - i)) <= whole_up_to) {
        units.push_back(s.substr(i, end - i));
        i = end;
        continue;
      }
    }
    if (c >= 0x80 || c == ' ') {
      const std::size_t n = c == ' ' ? 1 : std::min(char_len(c), s.size() - i);
      units.push_back(s.substr(i, n));
      i += n;
      continue;
    }
    std::size_t j = i + 1;
    while (j < s.size() && static_cast<unsigned char>(s[j]) < 0x80 && s[j] != ' ') ++j;
    units.push_back(s.substr(i, j - i));
    i = j;
  }
  // The yuan sign and opening brackets never end a line: they go with what follows.
  std::vector<std::string> glued;
  for (std::size_t k = 0; k < units.size(); ++k) {
    std::string unit = units[k];
    while (k + 1 < units.size() && units[k + 1] != " " &&
           (unit == "￥" || unit == "（" || unit == "《" || unit == "“") &&
           display_width(unit) + display_width(units[k + 1]) <= whole_up_to)
      unit += units[++k];
    glued.push_back(unit);
  }
  return glued;
}

bool is_closing_punctuation(const std::string& unit) {
  for (const char* p :
       {"。", "，", "、", "；", "：", "？", "！", "）", "」", "』", "》", ",", ".", ";", ":", ")"})
    if (unit == p) return true;
  return false;
}

}  // namespace

std::vector<std::string> wrap_text(const std::string& utf8, int width) {
  std::vector<std::string> lines;
  std::string line;
  int used = 0;
  std::string last_unit;
  for (std::string unit : units_of(utf8, width * 2 / 3)) {
    int w = display_width(unit);
    if (used + w > width && used > 0) {
      if (unit == " ") {
        lines.push_back(rtrim(line));
        line.clear();
        used = 0;
        continue;
      }
      // Closing punctuation never starts a line (禁则): the character before it comes along.
      std::string carried;
      if (is_closing_punctuation(unit) && line.size() > last_unit.size() && last_unit != " " &&
          display_width(last_unit) + w <= width) {
        carried = last_unit;
        line.resize(line.size() - last_unit.size());
      }
      lines.push_back(rtrim(line));
      line = carried;
      used = display_width(carried);
    }
    last_unit = unit;
    while (w > width) {  // an ASCII word longer than a whole line (whole units are shorter)
      lines.push_back(unit.substr(0, static_cast<std::size_t>(width)));
      unit = unit.substr(static_cast<std::size_t>(width));
      w = display_width(unit);
    }
    if (used == 0 && unit == " " && !lines.empty())
      continue;  // no continuation starts with a space
    line += unit;
    used += w;
  }
  if (!rtrim(line).empty() || lines.empty()) lines.push_back(rtrim(line));
  return lines;
}

// ---- Text that enters the terminal ---------------------------------------------------------

bool is_unsafe_code_point(std::uint32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

std::size_t max_chars(TextKind kind) {
  switch (kind) {
    case TextKind::PersonName: return 64;
    case TextKind::Household: return 64;
    case TextKind::OutletName: return 100;
    case TextKind::Brand: return 64;
    case TextKind::ProductName: return 128;
    case TextKind::Spec: return 256;
    case TextKind::PolicyId: return 32;
    case TextKind::PolicyName: return 128;
    case TextKind::Reason: return 500;
    case TextKind::SettingValue: return 1024;
  }
  return 64;
}

namespace {
std::string hex_code_point(std::uint32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}
}  // namespace

std::string TextCheck::code() const {
  switch (problem) {
    case TextProblem::None: return "";
    case TextProblem::NotUtf8: return "TEXT_NOT_UTF8";
    case TextProblem::ControlChar: return "TEXT_CONTROL_CHAR";
    case TextProblem::TooLong: return "TEXT_TOO_LONG";
  }
  return "";
}

std::string field_name_zh(std::string_view field) {
  // CSV columns (catalog, card batches), the checked texts of a sale and of the outlet, and
  // the settings a manager changes (Terminal::change_setting).
  static const std::pair<std::string_view, std::string_view> kNames[] = {
      {"card_no", "标识卡号"},
      {"serial_no", "序列号"},
      {"model_code", "型号代码"},
      {"category", "品类"},
      {"brand", "品牌"},
      {"name", "名称"},
      {"spec", "规格"},
      {"max_price", "最高限价"},
      {"valid_from", "起始日期"},
      {"valid_to", "截止日期"},
      {"buyer_name", "购买人姓名"},
      {"household", "户号"},
      {"reason", "原因"},
      {"outlet_name", "网点名称"},
      {"manager_name", "店长姓名"},
      {"queue", "打印队列"},
      {"ui.language", "界面语言"},
      {"ui.idle_lock_minutes", "空闲锁屏分钟数"},
      {"policy.phase", "补贴政策阶段"},
      {"policy.county_mismatch", "外县购买人"},
      {"printer.invoice_dir", "发票目录"},
      {"backup.dir", "备份目录"},
      {"device.invoice_printer", "发票打印机"},
      {"device.cash_drawer", "钱箱"},
      {"device.id_reader", "身份证读卡器"},
      {"device.scanners", "串口扫描枪"},
      {"device.camera", "摄像头"},
  };
  for (const auto& [key, zh] : kNames)
    if (key == field) return std::string(zh);
  return escape_for_message(field);
}

std::string TextCheck::message_zh() const {
  const std::string f = field_name_zh(field);
  switch (problem) {
    case TextProblem::None: return "";
    case TextProblem::NotUtf8:
      return f + " 不是有效的 UTF-8 文本(第 " + std::to_string(position) +
             " 个字节起):请用 UTF-8 编码重新输入或保存";
    case TextProblem::ControlChar:
      return f + " 的第 " + std::to_string(position) + " 个字符是不可见的控制字符 " +
             hex_code_point(code_point) + "(打印机和终端会把它当作指令):请删去后重新输入";
    case TextProblem::TooLong:
      return f + " 有 " + std::to_string(length) + " 个字符,最多 " + std::to_string(limit) +
             " 个:请缩短";
  }
  return "";
}

std::string TextCheck::message_en() const {
  const std::string f = escape_for_message(field);
  switch (problem) {
    case TextProblem::None: return "";
    case TextProblem::NotUtf8:
      return f + " is not valid UTF-8 text (from byte " + std::to_string(position) +
             "): enter or save it as UTF-8";
    case TextProblem::ControlChar:
      return f + ": character " + std::to_string(position) + " is the invisible control character " +
             hex_code_point(code_point) +
             " (printers and terminals take it as a command): remove it and enter the text again";
    case TextProblem::TooLong:
      return f + " has " + std::to_string(length) + " characters; at most " + std::to_string(limit) +
             " are allowed: shorten it";
  }
  return "";
}

TextCheck check_text(std::string_view field, std::string_view value, TextKind kind) {
  TextCheck check;
  check.field = std::string(field);
  std::size_t chars = 0;
  for (std::size_t i = 0; i < value.size();) {
    const std::size_t at = i;
    const long cp = decode(value, i);
    if (cp < 0) {
      check.problem = TextProblem::NotUtf8;
      check.position = at + 1;
      return check;
    }
    ++chars;
    if (is_unsafe_code_point(static_cast<std::uint32_t>(cp))) {
      check.problem = TextProblem::ControlChar;
      check.position = chars;
      check.code_point = static_cast<std::uint32_t>(cp);
      return check;
    }
  }
  if (chars > max_chars(kind)) {
    check.problem = TextProblem::TooLong;
    check.length = chars;
    check.limit = max_chars(kind);
  }
  return check;
}

std::string printable_text(std::string_view text, std::string_view replacement) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t at = i;
    const long cp = decode(text, i);
    if (cp < 0) {  // one byte that is not UTF-8: replaced, and on with the next
      out += replacement;
      i = at + 1;
    } else if (is_unsafe_code_point(static_cast<std::uint32_t>(cp))) {
      out += replacement;
    } else {
      out.append(text.substr(at, i - at));
    }
  }
  return out;
}

std::string escape_for_message(std::string_view value, std::size_t max_chars) {
  std::string out;
  std::size_t chars = 0;
  char buf[16];
  for (std::size_t i = 0; i < value.size();) {
    if (chars == max_chars) {
      out += "\xE2\x80\xA6";  // …
      break;
    }
    ++chars;
    const std::size_t at = i;
    const long cp = decode(value, i);
    if (cp < 0 || cp < 0x20 || cp == 0x7F) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(value[at]));
      out += buf;
      i = at + 1;
    } else if (is_unsafe_code_point(static_cast<std::uint32_t>(cp))) {
      out += "<" + hex_code_point(static_cast<std::uint32_t>(cp)) + ">";
    } else {
      out.append(value.substr(at, i - at));
    }
  }
  return out;
}

std::string quote_for_message(std::string_view value, std::size_t max_chars) {
  return "'" + escape_for_message(value, max_chars) + "'";
}

}  // namespace hn
