// The text check every entered text passes (check_text), the printers' replacement
// (printable_text) and the error messages' quoting (quote_for_message): no input may crash
// them, and what they let through or make is safe to print.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "fuzz_check.hpp"

using namespace hn;

namespace {

constexpr TextKind kKinds[] = {TextKind::PersonName, TextKind::Household, TextKind::OutletName,
                               TextKind::Brand,      TextKind::ProductName, TextKind::Spec,
                               TextKind::PolicyId,   TextKind::PolicyName, TextKind::Reason,
                               TextKind::SettingValue};

// Valid UTF-8 without a single unsafe character: what may go to a printer or a terminal.
bool safe(std::string_view s) {
  const auto c = check_text("x", s, TextKind::SettingValue);
  return c.problem != TextProblem::NotUtf8 && c.problem != TextProblem::ControlChar;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const TextKind kind = kKinds[data[0] % (sizeof kKinds / sizeof kKinds[0])];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  // The field name comes from the input too: messages escape it as well.
  const std::string_view field = text.substr(0, std::min<std::size_t>(text.size(), 8));

  const TextCheck check = check_text(field, text, kind);
  if (check.ok()) {
    FUZZ_CHECK(is_valid_utf8(text));
    FUZZ_CHECK(printable_text(text) == text);
    FUZZ_CHECK(check.code().empty());
  } else {
    FUZZ_CHECK(!check.code().empty());
    FUZZ_CHECK(safe(check.message_zh()) && safe(check.message_en()));
    FUZZ_CHECK(!check.message_zh().empty() && !check.message_en().empty());
    if (check.problem == TextProblem::TooLong) FUZZ_CHECK(check.length > check.limit && check.limit == max_chars(kind));
    if (check.problem == TextProblem::ControlChar) FUZZ_CHECK(is_unsafe_code_point(check.code_point));
    if (check.problem == TextProblem::NotUtf8) FUZZ_CHECK(!is_valid_utf8(text));
  }

  const std::string printable = printable_text(text);
  FUZZ_CHECK(safe(printable));
  FUZZ_CHECK(printable_text(printable) == printable);
  const std::string ascii = printable_text(text, "?");
  FUZZ_CHECK(safe(ascii));

  const std::string quoted = quote_for_message(text);
  FUZZ_CHECK(safe(quoted));
  FUZZ_CHECK(quoted.size() <= 2 + 60 * 8 + 3);  // 60 characters, each at most "<U+XXXX>", and "…"
  FUZZ_CHECK(quoted.size() >= 2 && quoted.front() == '\'' && quoted.back() == '\'');
  return 0;
}
