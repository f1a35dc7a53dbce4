#include "store/returns.hpp"

#include "store/cards.hpp"
#include "store/outbox.hpp"
#include "store/stored_values.hpp"

namespace hn::store {

std::int64_t Returns::insert(const ReturnRecord& r, bool tell_province) {
  db_.prepare("INSERT INTO returns(sale_id, item_id, card_no, returned_at, return_date, user_id, "
              "approver_id, reason, price, subsidy, state) VALUES(?,?,?,?,?,?,?,?,?,?,'completed')")
      .bind(1, r.sale_id)
      .bind(2, r.item_id)
      .bind(3, r.card_no)
      .bind(4, r.returned_at)
      .bind(5, r.return_date.iso())
      .bind(6, r.user_id)
      .bind(7, r.approver_id)
      .bind(8, r.reason)
      .bind(9, r.price)
      .bind(10, r.subsidy)
      .run();
  const std::int64_t id = db_.last_insert_rowid();
  db_.prepare("UPDATE sale_items SET state = 'returned' WHERE id = ? AND state = 'sold'")
      .bind(1, r.item_id)
      .run();
  if (db_.changes() != 1) throw DbError("sale item is not in the sold state", 0);
  // POLICY returns: the label card is taken back and destroyed.
  take_back_card(r.card_no);
  if (tell_province) enqueue_upload("return", id, r.returned_at);
  return id;
}

namespace {
constexpr const char* kRequestColumns =
    "SELECT id, sale_id, item_id, card_no, opened_at, user_id, approver_id, reason, province_state, "
    "COALESCE(waits_for, ''), pre_return_filed, return_request_filed, state, updated_at, "
    "COALESCE(closed_at, ''), COALESCE(return_id, 0) FROM return_requests ";

ReturnRequest request_from(Statement& st) {
  ReturnRequest r;
  r.id = st.int64(0);
  r.sale_id = st.int64(1);
  r.item_id = st.int64(2);
  r.card_no = st.text(3);
  r.opened_at = st.text(4);
  r.user_id = st.int64(5);
  r.approver_id = st.int64(6);
  r.reason = st.text(7);
  r.province_state = st.text(8);
  r.waits_for = st.text(9);
  r.pre_return_filed = st.integer(10) != 0;
  r.return_request_filed = st.integer(11) != 0;
  r.state = st.text(12);
  r.updated_at = st.text(13);
  r.closed_at = st.text(14);
  r.return_id = st.int64(15);
  return r;
}
}  // namespace

std::int64_t Returns::open_request(const ReturnRequest& r) {
  db_.prepare("INSERT INTO return_requests(sale_id, item_id, card_no, opened_at, user_id, approver_id, reason, "
              "province_state, waits_for, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?)")
      .bind(1, r.sale_id)
      .bind(2, r.item_id)
      .bind(3, r.card_no)
      .bind(4, r.opened_at)
      .bind(5, r.user_id)
      .bind(6, r.approver_id)
      .bind(7, r.reason)
      .bind(8, r.province_state)
      .bind(9, r.waits_for)
      .bind(10, r.opened_at)
      .run();
  return db_.last_insert_rowid();
}

void Returns::update_request(const ReturnRequest& r) {
  auto st = db_.prepare(
      "UPDATE return_requests SET province_state = ?, waits_for = NULLIF(?, ''), pre_return_filed = ?, "
      "return_request_filed = ?, state = ?, updated_at = ?, closed_at = NULLIF(?, ''), return_id = NULLIF(?, 0) "
      "WHERE id = ? AND state = 'open'");
  st.bind(1, r.province_state)
      .bind(2, r.waits_for)
      .bind(3, r.pre_return_filed ? 1 : 0)
      .bind(4, r.return_request_filed ? 1 : 0)
      .bind(5, r.state)
      .bind(6, r.updated_at)
      .bind(7, r.closed_at)
      .bind(8, r.return_id)
      .bind(9, r.id)
      .run();
  if (db_.changes() != 1) throw DbError("the return request is not open", 0);
}

std::optional<ReturnRequest> Returns::find_request(std::int64_t id) {
  auto st = db_.prepare(std::string(kRequestColumns) + "WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return request_from(st);
}

std::optional<ReturnRequest> Returns::open_request_for_item(std::int64_t item_id) {
  auto st = db_.prepare(std::string(kRequestColumns) + "WHERE item_id = ? AND state = 'open'");
  st.bind(1, item_id);
  if (!st.step()) return std::nullopt;
  return request_from(st);
}

std::vector<ReturnRequest> Returns::requests(const std::string& state) {
  auto st = db_.prepare(std::string(kRequestColumns) + "WHERE (?1 = '' OR state = ?1) ORDER BY id");
  st.bind(1, state);
  std::vector<ReturnRequest> out;
  while (st.step()) out.push_back(request_from(st));
  return out;
}

std::int64_t Returns::add_event(std::int64_t request_id, const std::string& kind, const std::string& at) {
  Bytes b = random_bytes(16);
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // UUID version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  const std::string h = to_hex(b);
  db_.prepare("INSERT INTO return_events(uuid, request_id, kind, at) VALUES(?,?,?,?)")
      .bind(1, h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" +
                   h.substr(20))
      .bind(2, request_id)
      .bind(3, kind)
      .bind(4, at)
      .run();
  const std::int64_t id = db_.last_insert_rowid();
  enqueue_upload("event", id, at);
  return id;
}

std::optional<ReturnEvent> Returns::find_event(std::int64_t id) {
  auto st = db_.prepare("SELECT id, uuid, request_id, kind, at FROM return_events WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return ReturnEvent{st.int64(0), st.text(1), st.int64(2), st.text(3), st.text(4)};
}

void Returns::withdraw_events(std::int64_t request_id) {
  db_.prepare("UPDATE outbox SET state = 'withdrawn' WHERE kind = 'event' AND state = 'pending' AND ref_id IN "
              "(SELECT id FROM return_events WHERE request_id = ?)")
      .bind(1, request_id)
      .run();
}

void Returns::add_document(std::int64_t request_id, const ReturnDocument& doc) {
  db_.prepare("INSERT INTO return_documents(request_id, kind, number, body_enc, created_at) VALUES(?,?,?,?,?)")
      .bind(1, request_id)
      .bind(2, doc.kind)
      .bind(3, doc.number)
      .bind_blob(4, keys_.seal(doc.text))
      .bind(5, doc.created_at)
      .run();
}

std::vector<ReturnDocument> Returns::documents(std::int64_t request_id) {
  auto st = db_.prepare("SELECT kind, number, body_enc, created_at FROM return_documents WHERE request_id = ? "
                        "ORDER BY id");
  st.bind(1, request_id);
  std::vector<ReturnDocument> out;
  while (st.step()) out.push_back({st.text(0), st.text(1), keys_.open(st.blob(2)), st.text(3)});
  return out;
}

std::optional<ReturnRecord> Returns::find(std::int64_t return_id) {
  auto st = db_.prepare("SELECT sale_id, item_id, card_no, returned_at, return_date, user_id, approver_id, "
                        "reason, price, subsidy FROM returns WHERE id = ?");
  st.bind(1, return_id);
  if (!st.step()) return std::nullopt;
  ReturnRecord r;
  r.sale_id = st.int64(0);
  r.item_id = st.int64(1);
  r.card_no = st.text(2);
  r.returned_at = st.text(3);
  r.return_date = parse_stored_date(st.text(4));
  r.user_id = st.int64(5);
  r.approver_id = st.int64(6);
  r.reason = st.text(7);
  r.price = st.int64(8);
  r.subsidy = st.int64(9);
  return r;
}

void Returns::take_back_card(const std::string& card_no) { Cards(db_).take_back(card_no); }

void Returns::enqueue_upload(const char* kind, std::int64_t ref_id, const std::string& at) {
  Outbox(db_).enqueue(kind, ref_id, at);
}

}  // namespace hn::store
