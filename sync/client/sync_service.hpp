#pragma once
// Draining the outbox to the province, exactly once and on time: sales and return events go
// up in batches over one kept-alive connection; an accepted or duplicate answer marks the row
// done, a rejection becomes a manager's task and is never retried blindly, and anything
// without a usable answer is retried with exponential backoff and full jitter. Offline-first:
// nothing here ever blocks a sale.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "store/store.hpp"
#include "sync/client/province.hpp"

namespace hn::sync {

struct SyncCounts {
  int sent = 0;
  int accepted = 0;
  int duplicate = 0;
  int rejected = 0;
  int failures = 0;     // batches that got no usable answer
  int pending = 0;      // sales still waiting afterwards (a rejected one until settled)
  int undelivered = 0;  // outbox rows of any kind the province has not answered yet
  std::string last_error;
};

class SyncService {
 public:
  struct Options {
    int batch_size = 200;
    std::chrono::milliseconds timeout{30000};        // one batch's request
    std::chrono::milliseconds backoff_base{500};     // first retry within this
    std::chrono::milliseconds backoff_cap{300000};   // and never more than 5 minutes apart
  };
  // `unix_ms`: the clock retries are scheduled by, in milliseconds.
  SyncService(store::Store& store, ProvinceClient& client, std::function<std::int64_t()> unix_ms,
              Options options);
  SyncService(store::Store& store, ProvinceClient& client, std::function<std::int64_t()> unix_ms)
      : SyncService(store, client, std::move(unix_ms), Options{}) {}

  // Every row due now, batch after batch, until done or the first batch without an answer
  // (which schedules its rows' retry with backoff).
  SyncCounts pass();
  // Passes until nothing is pending or `limit` has passed, waiting out the backoff between
  // failed passes.
  SyncCounts drain(std::chrono::milliseconds limit);
  // Catalog, policy and card batches since the last version, applied in one transaction.
  // Returns false (and says why in `error`) when unanswered or malformed.
  bool pull_updates(std::string& error);

 private:
  void upload_batch(const std::vector<store::OutboxRow>& rows, SyncCounts& counts, bool& failed);
  std::string now_iso();
  int undelivered();

  store::Store& store_;
  ProvinceClient& client_;
  std::function<std::int64_t()> now_ms_;
  Options options_;
  Backoff backoff_;
};

}  // namespace hn::sync
