#pragma once
// Households: units held per category (sold, not returned) at this terminal, found by the
// keyed hash of the 户号 (the number itself is sealed).
#include <string>

#include "core/policy_engine.hpp"
#include "store/platform_names.hpp"

namespace hn::store {

class Households {
 public:
  Households(Database& db, const KeyRing& keys) : db_(db), keys_(keys) {}
  HouseholdHistory history(const std::string& household);
  std::string hash(const std::string& household) const;

 private:
  Database& db_;
  const KeyRing& keys_;
};

}  // namespace hn::store
