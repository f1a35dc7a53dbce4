#include "store/outbox.hpp"

namespace hn::store {

void Outbox::enqueue(const char* kind, std::int64_t ref_id, const std::string& at) {
  db_.prepare("INSERT INTO outbox(kind, ref_id, created_at) VALUES(?, ?, ?)").bind(1, kind).bind(2, ref_id).bind(3, at).run();
}

void Outbox::withdraw(std::int64_t id) {
  db_.prepare("UPDATE outbox SET state = 'withdrawn' WHERE id = ? AND state = 'pending'").bind(1, id).run();
}

void Outbox::defer(std::int64_t id, std::int64_t unix_ms) {
  db_.prepare("UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND state = 'pending'")
      .bind(1, unix_ms)
      .bind(2, id)
      .run();
}

std::vector<OutboxRow> Outbox::due(std::int64_t unix_ms, int limit) {
  auto st = db_.prepare("SELECT id, kind, ref_id, attempts FROM outbox WHERE state = 'pending' "
                        "AND next_attempt_at <= ? ORDER BY id LIMIT ?");
  st.bind(1, unix_ms).bind(2, limit);
  std::vector<OutboxRow> out;
  while (st.step()) out.push_back({st.int64(0), st.text(1), st.int64(2), st.integer(3)});
  return out;
}

void Outbox::answered(std::int64_t id, const std::string& state, const std::string& code,
                       const std::string& message, const std::string& at) {
  db_.prepare("UPDATE outbox SET state = ?, result_code = ?, last_error = ?, answered_at = ?, "
              "attempts = attempts + 1 WHERE id = ? AND state = 'pending'")
      .bind(1, state)
      .bind(2, code)
      .bind(3, message)
      .bind(4, at)
      .bind(5, id)
      .run();
}

void Outbox::failed(std::int64_t id, const std::string& error, std::int64_t next_attempt_at) {
  db_.prepare("UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? "
              "WHERE id = ? AND state = 'pending'")
      .bind(1, error)
      .bind(2, next_attempt_at)
      .bind(3, id)
      .run();
}

std::int64_t Outbox::next_attempt() {
  auto st = db_.prepare("SELECT COALESCE(MIN(next_attempt_at), 0) FROM outbox WHERE state = 'pending'");
  st.step();
  return st.int64(0);
}

int Outbox::pending_count() {
  auto st = db_.prepare("SELECT COUNT(*) FROM outbox WHERE state = 'pending'");
  st.step();
  return static_cast<int>(st.integer(0));
}

std::int64_t Outbox::rejected_count() {
  auto st = db_.prepare("SELECT COUNT(*) FROM outbox WHERE state = 'rejected'");
  st.step();
  return st.int64(0);
}

void Outbox::retry_pending_now() { db_.exec("UPDATE outbox SET next_attempt_at = 0 WHERE state = 'pending'"); }

}  // namespace hn::store
