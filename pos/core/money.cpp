#include "core/money.hpp"

namespace hn {

std::optional<Fen> parse_yuan(std::string_view text) {
  if (text.empty()) return std::nullopt;
  Fen yuan = 0;
  std::size_t i = 0;
  std::size_t int_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++int_digits) {
    yuan = yuan * 10 + (text[i] - '0');
    if (yuan > kMaxAmount / 100) return std::nullopt;
  }
  if (int_digits == 0) return std::nullopt;
  Fen fen = 0;
  if (i < text.size()) {
    if (text[i] != '.') return std::nullopt;
    ++i;
    std::size_t decimals = 0;
    for (; i < text.size(); ++i, ++decimals) {
      if (text[i] < '0' || text[i] > '9' || decimals == 2) return std::nullopt;
      fen = fen * 10 + (text[i] - '0');
    }
    if (decimals == 0) return std::nullopt;  // "12." is a typo, not an amount
    if (decimals == 1) fen *= 10;
  }
  Fen total = yuan * 100 + fen;
  if (total > kMaxAmount) return std::nullopt;
  return total;
}

std::string format_yuan(Fen fen) {
  const bool negative = fen < 0;
  // Work in unsigned to format INT64_MIN safely.
  unsigned long long magnitude = negative ? 0ULL - static_cast<unsigned long long>(fen)
                                          : static_cast<unsigned long long>(fen);
  std::string out = std::to_string(magnitude / 100);
  const unsigned long long cents = magnitude % 100;
  out += '.';
  out += static_cast<char>('0' + cents / 10);
  out += static_cast<char>('0' + cents % 10);
  return negative ? "-" + out : out;
}

Fen multiply_round_half_up(Fen value, std::int64_t numerator, std::int64_t denominator) {
  // value <= kMaxAmount (1e10) and numerator <= 1e4 keep the product far below 2^63.
  return (value * numerator + denominator / 2) / denominator;
}

}  // namespace hn
