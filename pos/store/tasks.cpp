#include "store/tasks.hpp"

namespace hn::store {

std::int64_t Tasks::add(const Task& t) {
  db_.prepare("INSERT INTO tasks(kind, sale_id, code, message_zh, message_en, created_at) "
              "VALUES(?,NULLIF(?, 0),?,?,?,?)")
      .bind(1, t.kind)
      .bind(2, t.sale_id)
      .bind(3, t.code)
      .bind(4, t.message_zh)
      .bind(5, t.message_en)
      .bind(6, t.created_at)
      .run();
  return db_.last_insert_rowid();
}

namespace {
constexpr const char* kTaskColumns =
    "SELECT id, kind, COALESCE(sale_id, 0), code, message_zh, message_en, created_at, state, "
    "COALESCE(resolution, '') FROM tasks ";
Task task_from(Statement& st) {
  return {st.int64(0), st.text(1), st.int64(2), st.text(3), st.text(4),
          st.text(5),  st.text(6), st.text(7),  st.text(8)};
}
}  // namespace

std::vector<Task> Tasks::list(const std::string& state) {
  auto st = db_.prepare(std::string(kTaskColumns) + "WHERE (?1 = '' OR state = ?1) ORDER BY id");
  st.bind(1, state);
  std::vector<Task> out;
  while (st.step()) out.push_back(task_from(st));
  return out;
}

std::optional<Task> Tasks::find(std::int64_t task_id) {
  auto st = db_.prepare(std::string(kTaskColumns) + "WHERE id = ?");
  st.bind(1, task_id);
  if (!st.step()) return std::nullopt;
  return task_from(st);
}

void Tasks::resolve(const Task& task, SaleSettlement settlement, const std::string& resolution,
                    std::int64_t user_id, const std::string& reason, const std::string& at) {
  db_.prepare("UPDATE tasks SET state = 'resolved', resolution = ?, resolved_by = ?, resolved_at = ? "
              "WHERE id = ? AND state = 'open'")
      .bind(1, resolution)
      .bind(2, user_id)
      .bind(3, at)
      .bind(4, task.id)
      .run();
  if (db_.changes() != 1) throw DbError("the task is not open", 0);
  if (settlement == SaleSettlement::None) return;
  db_.prepare("INSERT INTO sale_resolutions(sale_id, task_id, action, user_id, reason, resolved_at) "
              "VALUES(?,?,?,?,?,?)")
      .bind(1, task.sale_id)
      .bind(2, task.id)
      .bind(3, settlement == SaleSettlement::Cancelled ? "cancelled" : "unsubsidised")
      .bind(4, user_id)
      .bind(5, reason)
      .bind(6, at)
      .run();
  // A cancelled sale's goods come back; their cards are bound to this sale for good, so they
  // are recorded as taken back, like a returned item's (POLICY returns), never sold again.
  if (settlement == SaleSettlement::Cancelled)
    db_.prepare("UPDATE label_cards SET state = 'returned' WHERE card_no IN "
                "(SELECT card_no FROM sale_items WHERE sale_id = ? AND state = 'sold')")
        .bind(1, task.sale_id)
        .run();
}

}  // namespace hn::store
