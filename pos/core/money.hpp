#pragma once
// Money is whole fen (分) in an int64 everywhere; "1999.00" text exists only at the edges.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hn {

using Fen = std::int64_t;

// The largest amount the terminal accepts anywhere: 100 million yuan, far above any cap and
// far below where fen arithmetic (price * rate) could overflow.
inline constexpr Fen kMaxAmount = 100'000'000LL * 100;

// Parses yuan with up to two decimals ("1999", "1999.5", "1999.00"). No sign, no exponent,
// no thousands separators. nullopt for anything else, including amounts above kMaxAmount.
std::optional<Fen> parse_yuan(std::string_view text);

// "1999.00"; negative amounts keep their sign ("-12.30").
std::string format_yuan(Fen fen);

// value * numerator / denominator, rounded half up (away from zero for positives), for
// non-negative value and positive denominator.
Fen multiply_round_half_up(Fen value, std::int64_t numerator, std::int64_t denominator);

}  // namespace hn
