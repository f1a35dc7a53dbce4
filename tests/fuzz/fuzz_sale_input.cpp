// What a clerk or a script types for a sale: `huinong sale ... --item CARD[:SERIAL]=PRICE`
// (the argument parser, then the item parser) and yuan amounts (parse_yuan / format_yuan).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "cli/args.hpp"
#include "core/money.hpp"
#include "fuzz_check.hpp"

using namespace hn;

namespace {

void check_amount(std::string_view text) {
  const auto fen = parse_yuan(text);
  if (!fen) return;
  FUZZ_CHECK(*fen >= 0 && *fen <= kMaxAmount);
  // parse -> format -> parse is the identity, and the formatted text is the canonical one.
  const std::string canonical = format_yuan(*fen);
  const auto again = parse_yuan(canonical);
  FUZZ_CHECK(again && *again == *fen);
  FUZZ_CHECK(format_yuan(*again) == canonical);
  // The subsidy arithmetic cannot overflow for any accepted amount (13%, 13.00% in basis points).
  const Fen subsidy = multiply_round_half_up(*fen, 1300, 10000);
  FUZZ_CHECK(subsidy >= 0 && subsidy <= *fen);
}

void check_item(const std::string& text) {
  CartItem item;
  if (!cli::parse_item_arg(text, item)) return;
  FUZZ_CHECK(!item.card_no.empty());
  FUZZ_CHECK(item.card_no.find(':') == std::string::npos);
  const auto eq = text.rfind('=');
  FUZZ_CHECK(eq != std::string::npos);
  const auto price = parse_yuan(std::string_view(text).substr(eq + 1));
  FUZZ_CHECK(price && *price == item.price);
  // Written back in the canonical form, the item reads the same.
  const std::string back =
      item.card_no + (item.serial_no.empty() ? "" : ":" + item.serial_no) + "=" + format_yuan(item.price);
  CartItem again;
  FUZZ_CHECK(cli::parse_item_arg(back, again));
  FUZZ_CHECK(again.card_no == item.card_no && again.serial_no == item.serial_no && again.price == item.price);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  check_amount(input);
  check_item(input);
  // Any int64 formats and, when in range, reads back.
  if (size >= 8) {
    std::int64_t v = 0;
    std::memcpy(&v, data, sizeof v);
    const std::string s = format_yuan(v);
    if (v >= 0 && v <= kMaxAmount) FUZZ_CHECK(parse_yuan(s) == v);
  }
  // The whole input as a command line: NUL-separated arguments after the program name.
  std::vector<std::string> words{"huinong"};
  std::size_t start = 0;
  while (start <= input.size() && words.size() < 64) {
    auto end = input.find('\0', start);
    if (end == std::string::npos) end = input.size();
    words.push_back(input.substr(start, end - start));
    start = end + 1;
  }
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  cli::Args args;
  cli::ArgError error;
  if (cli::parse_args(static_cast<int>(words.size()), argv.data(), {"json", "help", "reset"}, args, error)) {
    for (const auto& item : args.all("item")) {
      check_item(item);
      check_amount(item);
    }
    FUZZ_CHECK(!args.get("item") || args.all("item").back() == *args.get("item"));
  } else {
    FUZZ_CHECK(!error.zh.empty() && !error.en.empty());
  }
  return 0;
}
