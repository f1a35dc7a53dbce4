// A policy phase file (assets/policy/*.ini) as the province sends it in an update: any text
// is refused with a line, or read into a phase whose numbers make sense.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/policy.hpp"
#include "fuzz_check.hpp"

using namespace hn;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)parse_percent_basis_points(text);
  PolicyPhase phase;
  ImportMessage error;
  if (!parse_policy_file(text, phase, error)) {
    FUZZ_CHECK(!error.message_zh.empty() && !error.message_en.empty());
    (void)error.text();
    return 0;
  }
  FUZZ_CHECK(!phase.id.empty());
  FUZZ_CHECK(phase.central_share_percent >= 0 && phase.central_share_percent <= 100);
  for (const auto& [category, cp] : phase.categories) {
    FUZZ_CHECK(cp.category == category);
    FUZZ_CHECK(cp.cap >= 0 && cp.cap <= kMaxAmount);
    FUZZ_CHECK(cp.household_limit >= 0);
    (void)phase.active_category(category);
    // The subsidy of any price up to the cap is a part of the price.
    for (const Fen price : {Fen{0}, Fen{1}, cp.cap / 2, cp.cap}) {
      const Fen s = cp.subsidy.subsidy_for(price);
      FUZZ_CHECK(s >= 0);
    }
  }
  PolicyOverrides overrides;
  overrides.household_limit[Category::Tv] = 2;
  overrides.county_mismatch = MismatchAction::Refuse;
  const PolicyPhase changed = apply_overrides(phase, overrides);
  FUZZ_CHECK(changed.county_mismatch == MismatchAction::Refuse);
  return 0;
}
