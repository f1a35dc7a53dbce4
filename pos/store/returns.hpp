#pragma once
// Returns (returns issue): the completed returns, the requests in progress, the events filed
// with the province for them and the documents printed.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/records.hpp"
#include "store/platform_names.hpp"

namespace hn::store {

class Returns {
 public:
  Returns(Database& db, const KeyRing& keys) : db_(db), keys_(keys) {}
  // Marks the item returned and its card destroyed, and queues the event (unless the
  // province never took the sale: `tell_province` false).
  std::int64_t insert(const ReturnRecord& r, bool tell_province = true);
  std::optional<ReturnRecord> find(std::int64_t return_id);
  std::int64_t open_request(const ReturnRequest& r);
  void update_request(const ReturnRequest& r);
  std::optional<ReturnRequest> find_request(std::int64_t id);
  std::optional<ReturnRequest> open_request_for_item(std::int64_t item_id);
  // In opening order; `state` filters when not empty.
  std::vector<ReturnRequest> requests(const std::string& state);
  // Files an event for the province: recorded and queued in the outbox (kind "event").
  std::int64_t add_event(std::int64_t request_id, const std::string& kind, const std::string& at);
  std::optional<ReturnEvent> find_event(std::int64_t id);
  // A withdrawn return's steps not yet sent stay unsent (outbox state "withdrawn").
  void withdraw_events(std::int64_t request_id);
  void add_document(std::int64_t request_id, const ReturnDocument& doc);
  std::vector<ReturnDocument> documents(std::int64_t request_id);

 private:
  void take_back_card(const std::string& card_no);  // POLICY S1: never sellable again
  void enqueue_upload(const char* kind, std::int64_t ref_id, const std::string& at);
  Database& db_;
  const KeyRing& keys_;
};

}  // namespace hn::store
