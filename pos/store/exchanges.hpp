#pragma once
// Exchanges (换货, returns issue): the item takes the new card and serial, the old card is
// taken back, the new one sold.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/records.hpp"
#include "store/platform_names.hpp"

namespace hn::store {

class Exchanges {
 public:
  Exchanges(Database& db, const KeyRing& keys) : db_(db), keys_(keys) {}
  // With `tell_province`, an outbox row of kind 'exchange'.
  std::int64_t insert(const ExchangeRecord& x, bool tell_province);
  std::optional<ExchangeRecord> find(std::int64_t id);
  std::optional<ExchangeRecord> of_old_card(const std::string& card_no);
  std::vector<ExchangeRecord> of_sale(std::int64_t sale_id);
  std::vector<ExchangeRecord> between(const std::string& from_date, const std::string& to_date);

 private:
  std::vector<ExchangeRecord> exchanges_where(const std::string& where, const std::vector<std::string>& args);
  void take_back_card(const std::string& card_no);  // POLICY S1: never sellable again
  void enqueue_upload(const char* kind, std::int64_t ref_id, const std::string& at);
  Database& db_;
  const KeyRing& keys_;
};

}  // namespace hn::store
