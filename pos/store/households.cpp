#include "store/households.hpp"

#include "store/stored_values.hpp"

namespace hn::store {

std::string Households::hash(const std::string& household) const {
  return keys_.lookup_hash("household", household);
}

HouseholdHistory Households::history(const std::string& household) {
  auto st = db_.prepare(
      "SELECT i.category, COUNT(*) FROM sale_items i JOIN sales s ON s.id = i.sale_id "
      "WHERE s.household_hash = ? AND i.state = 'sold' "
      // POLICY R5 counts subsidised purchases: a sale settled as unsubsidised or cancelled
      // after the province rejected it holds no quota.
      "AND NOT EXISTS (SELECT 1 FROM sale_resolutions r WHERE r.sale_id = s.id) GROUP BY i.category");
  st.bind(1, hash(household));
  HouseholdHistory h;
  while (st.step()) h.held[parse_stored_category(st.text(0))] = st.integer(1);
  return h;
}

}  // namespace hn::store
