#pragma once
// Held sales (挂单, issue 16), in the caller's transaction. The ID number and 户号 are sealed
// as a sale's are.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/records.hpp"
#include "store/platform_names.hpp"

namespace hn::store {

class HeldSales {
 public:
  HeldSales(Database& db, const KeyRing& keys) : db_(db), keys_(keys) {}
  // Inserts (id 0) or replaces the buyer and lines of a held one; its id.
  std::int64_t put(const HeldSale& h);
  std::optional<HeldSale> find(std::int64_t id);
  // Held (not closed) sales held after `after` (local ISO; "" for all), oldest first.
  std::vector<HeldSale> list(const std::string& after);
  // Held ones held at or before `at_or_before`: the expired (and the ones a closing covers).
  std::vector<HeldSale> up_to(const std::string& at_or_before);
  // The held sale (held after `after`, not `except`) a card is reserved to; 0 when none.
  std::int64_t card_held_by(const std::string& card_no, const std::string& after, std::int64_t except);
  // Closes a held one: "sold" (with its sale), "dropped" (by whom, why) or "expired".
  void close(std::int64_t id, const std::string& state, const std::string& at, std::int64_t user_id,
             std::int64_t sale_id, const std::string& reason);

 private:
  Database& db_;
  const KeyRing& keys_;
};

}  // namespace hn::store
