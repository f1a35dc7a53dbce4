#pragma once
// UTF-8 text helpers for fixed-width layouts (invoices, receipts, reports), and the one check
// every text that enters the terminal passes (names, catalog entries, reasons, settings).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hn {

bool is_valid_utf8(std::string_view s);
// The code points of `utf8`; empty when it is not UTF-8 (or is empty).
std::vector<std::uint32_t> code_points(std::string_view utf8);
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

// ---- Text that enters the terminal ---------------------------------------------------------
// A control character in a name reaches the receipt printer as a command (ESC p kicks the cash
// drawer, CR LF starts a fake line) and a terminal or spreadsheet as one too; a bidi override
// shows text in another order than it is stored. None of them belongs in a name, a catalog
// entry, a reason or a setting, so they are refused where text enters, and replaced wherever
// text is printed or written (the second line of defence, for rows stored before the check).

// Refused in entered text and replaced in printed text: C0 controls (NUL, TAB, LF, CR, ESC...),
// DEL, C1 controls (U+0080-U+009F, NEL among them), the line and paragraph separators
// U+2028/U+2029, and the bidirectional formatting characters (U+061C, U+200E/U+200F,
// U+202A-U+202E, U+2066-U+2069).
bool is_unsafe_code_point(std::uint32_t cp);

// What a piece of text is: each kind has its length limit, in characters (not bytes).
enum class TextKind {
  PersonName,    // a buyer, a user, the manager: 64
  Household,     // 户号 as typed: 64
  OutletName,    // 100
  Brand,         // catalog brand: 64
  ProductName,   // catalog name: 128
  Spec,          // catalog spec: 256
  PolicyId,      // a policy phase id ("2008-12"): 32
  PolicyName,    // 128
  Reason,        // a return's, an exchange's, a task's reason: 500
  SettingValue,  // 1024
};
std::size_t max_chars(TextKind kind);

enum class TextProblem { None, NotUtf8, ControlChar, TooLong };

// The outcome of check_text: a value naming the field, never an exception.
struct TextCheck {
  TextProblem problem = TextProblem::None;
  std::string field;             // as the caller names it: "brand", "buyer_name", "reason"
  std::size_t position = 0;      // NotUtf8: the byte (1-based); ControlChar: the character (1-based)
  std::uint32_t code_point = 0;  // ControlChar
  std::size_t length = 0;        // TooLong: the text's characters
  std::size_t limit = 0;         // TooLong: the kind's limit

  bool ok() const { return problem == TextProblem::None; }
  // Stable codes: TEXT_NOT_UTF8, TEXT_CONTROL_CHAR, TEXT_TOO_LONG ("" when ok).
  std::string code() const;
  // What is wrong and what to do, naming the field; never the text itself.
  std::string message_zh() const;
  std::string message_en() const;
};

// Valid UTF-8 with no unsafe character (the first bad byte or character found, read from the
// start), then at most max_chars(kind) characters. Emptiness is the caller's business.
TextCheck check_text(std::string_view field, std::string_view value, TextKind kind);

// `text` with every unsafe character and every byte that is not UTF-8 replaced by
// `replacement`: for printers and files, so that stored text never becomes a command.
std::string printable_text(std::string_view text, std::string_view replacement = "\xEF\xBF\xBD");

// A value for an error message, in single quotes: at most `max_chars` characters of it (then
// "…"); an unsafe ASCII character or a byte that is not UTF-8 shown as \x1b, any other unsafe
// character as <U+202E>. Errors never echo a whole bad value (a 10 MB field, an ESC).
std::string quote_for_message(std::string_view value, std::size_t max_chars = 60);
// The same without the quotes, for a name inside a message (a field, an option, a key).
std::string escape_for_message(std::string_view value, std::size_t max_chars = 60);

// The Chinese name of an input field or a setting key ("card_no" -> "标识卡号",
// "device.cash_drawer" -> "钱箱") for the Chinese message (issue 16: a clerk reads 标识卡号,
// not card_no). The key itself stays in the English message and in Problem::field (JSON);
// a key not in the table comes back escaped, as a code.
std::string field_name_zh(std::string_view field);

}  // namespace hn
