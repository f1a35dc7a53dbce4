#pragma once
// The outbox (sync issue): what must go up to the province, one row per sale, return, event,
// closing or exchange, and what the province answered.
#include <cstdint>
#include <string>
#include <vector>

#include "core/records.hpp"
#include "store/platform_names.hpp"

namespace hn::store {

class Outbox {
 public:
  explicit Outbox(Database& db) : db_(db) {}
  // A row of `kind` ("sale", "return", "event", "closing", "exchange") for `ref_id`, in the
  // caller's transaction.
  void enqueue(const char* kind, std::int64_t ref_id, const std::string& at);
  // A row that no longer needs sending (its subject is not the province's to hear).
  void withdraw(std::int64_t id);
  // A row that waits for something else to go first: tried again at `unix_ms`.
  void defer(std::int64_t id, std::int64_t unix_ms);
  // Pending rows whose next attempt is due at `unix_ms`, oldest first.
  std::vector<OutboxRow> due(std::int64_t unix_ms, int limit);
  // The province answered: "accepted" (also for duplicates) or "rejected" with its code.
  void answered(std::int64_t id, const std::string& state, const std::string& code,
                const std::string& message, const std::string& at);
  // No usable answer: counted, and retried no earlier than `next_attempt_at` (unix ms).
  void failed(std::int64_t id, const std::string& error, std::int64_t next_attempt_at);
  // The earliest next attempt among pending rows (0 when none are pending).
  std::int64_t next_attempt();
  // How many rows still wait to go up.
  int pending_count();
  // How many rows the province rejected.
  std::int64_t rejected_count();
  // Every pending row is due now, whatever its backoff said.
  void retry_pending_now();

 private:
  Database& db_;
};

}  // namespace hn::store
