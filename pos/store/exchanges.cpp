#include "store/exchanges.hpp"

#include "store/cards.hpp"
#include "store/outbox.hpp"

namespace hn::store {

std::int64_t Exchanges::insert(const ExchangeRecord& x, bool tell_province) {
  db_.prepare("INSERT INTO exchanges(uuid, sale_id, item_id, old_card, old_serial, new_card, new_serial, "
              "exchanged_at, exchange_date, user_id, approver_id, reason, invoice_before_enc) "
              "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)")
      .bind(1, x.uuid)
      .bind(2, x.sale_id)
      .bind(3, x.item_id)
      .bind(4, x.old_card)
      .bind(5, x.old_serial)
      .bind(6, x.new_card)
      .bind(7, x.new_serial)
      .bind(8, x.exchanged_at)
      .bind(9, x.exchange_date.iso())
      .bind(10, x.user_id)
      .bind(11, x.approver_id)
      .bind(12, x.reason)
      .bind_blob(13, keys_.seal(x.invoice_before))
      .run();
  const std::int64_t id = db_.last_insert_rowid();
  db_.prepare("UPDATE sale_items SET card_no = ?, serial_no = ? WHERE id = ? AND card_no = ? AND state = 'sold'")
      .bind(1, x.new_card)
      .bind(2, x.new_serial)
      .bind(3, x.item_id)
      .bind(4, x.old_card)
      .run();
  if (db_.changes() != 1) throw DbError("sale item is not in the sold state with the old card", 0);
  // POLICY S1: the old card is taken back for good; the new one is sold.
  take_back_card(x.old_card);
  if (!Cards(db_).sell(x.new_card, x.sale_id)) throw DbError("the new card is not in stock", 0);
  if (tell_province) enqueue_upload("exchange", id, x.exchanged_at);
  return id;
}

namespace {
constexpr const char* kExchangeColumns =
    "SELECT id, uuid, sale_id, item_id, old_card, old_serial, new_card, new_serial, exchanged_at, exchange_date, "
    "user_id, approver_id, reason, invoice_before_enc FROM exchanges ";
}  // namespace

std::vector<ExchangeRecord> Exchanges::exchanges_where(const std::string& where, const std::vector<std::string>& args) {
  auto st = db_.prepare(std::string(kExchangeColumns) + where + " ORDER BY id");
  for (std::size_t i = 0; i < args.size(); ++i) st.bind(static_cast<int>(i + 1), args[i]);
  std::vector<ExchangeRecord> out;
  while (st.step()) {
    ExchangeRecord x;
    x.id = st.int64(0);
    x.uuid = st.text(1);
    x.sale_id = st.int64(2);
    x.item_id = st.int64(3);
    x.old_card = st.text(4);
    x.old_serial = st.text(5);
    x.new_card = st.text(6);
    x.new_serial = st.text(7);
    x.exchanged_at = st.text(8);
    x.exchange_date = parse_iso_date(st.text(9)).value_or(Date{});
    x.user_id = st.int64(10);
    x.approver_id = st.int64(11);
    x.reason = st.text(12);
    x.invoice_before = keys_.open(st.blob(13));
    out.push_back(std::move(x));
  }
  return out;
}

std::optional<ExchangeRecord> Exchanges::find(std::int64_t id) {
  auto v = exchanges_where("WHERE id = ?", {std::to_string(id)});
  if (v.empty()) return std::nullopt;
  return v.front();
}

std::optional<ExchangeRecord> Exchanges::of_old_card(const std::string& card_no) {
  auto v = exchanges_where("WHERE old_card = ?", {card_no});
  if (v.empty()) return std::nullopt;
  return v.front();
}

std::vector<ExchangeRecord> Exchanges::of_sale(std::int64_t sale_id) {
  return exchanges_where("WHERE sale_id = ?", {std::to_string(sale_id)});
}

std::vector<ExchangeRecord> Exchanges::between(const std::string& from_date, const std::string& to_date) {
  return exchanges_where("WHERE exchange_date BETWEEN ? AND ?", {from_date, to_date});
}

void Exchanges::take_back_card(const std::string& card_no) { Cards(db_).take_back(card_no); }

void Exchanges::enqueue_upload(const char* kind, std::int64_t ref_id, const std::string& at) {
  Outbox(db_).enqueue(kind, ref_id, at);
}

}  // namespace hn::store
