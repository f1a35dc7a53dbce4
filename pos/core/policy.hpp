#pragma once
// The province's subsidy policy for one phase: per category the cap, the household limit
// and the subsidy rule (POLICY R2, R3, R5, S2). Data, never literals in code.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/catalog.hpp"
#include "core/date.hpp"
#include "core/money.hpp"

namespace hn {

// 13% of the invoice price, rounded half up to the fen; in the 2010 revision, a flat amount
// once the price passes a threshold (POLICY S2 and "Policy data across phases").
struct SubsidyRule {
  int rate_basis_points = 1300;      // 13.00%
  std::optional<Fen> threshold;      // price above which the flat amount applies
  Fen flat_above = 0;

  Fen subsidy_for(Fen price) const;
};

struct CategoryPolicy {
  Category category = Category::Tv;
  bool active = false;      // POLICY R2: later-phase categories are enabled by policy
  Fen cap = 0;              // POLICY R3: category price cap
  int household_limit = 1;  // POLICY R5: units per household in this category
  SubsidyRule subsidy;
};

enum class MismatchAction { Warn, Refuse };

struct PolicyPhase {
  std::string id;  // "2008-12"
  std::string name_zh;
  std::string name_en;
  Date effective_from;
  int central_share_percent = 80;  // POLICY S2: central 80%, province 20%
  MismatchAction county_mismatch = MismatchAction::Warn;  // POLICY R7
  std::map<Category, CategoryPolicy> categories;

  // The category's policy when present and active, else nullptr.
  const CategoryPolicy* active_category(Category c) const;
};

// A terminal's own settings on top of the phase (a manager's choices, POLICY R5 and R7).
struct PolicyOverrides {
  std::map<Category, int> household_limit;
  std::optional<MismatchAction> county_mismatch;
};
PolicyPhase apply_overrides(PolicyPhase phase, const PolicyOverrides& overrides);

// Reads a policy file (assets/policy/*.ini): `key = value` lines, `[category]` sections,
// '#' comments. Returns false with the offending line on any error.
bool parse_policy_file(std::string_view text, PolicyPhase& out, ImportMessage& error);

// Parses a percentage with up to two decimals ("13", "12.5") into basis points.
std::optional<int> parse_percent_basis_points(std::string_view text);

}  // namespace hn
