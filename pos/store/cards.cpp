#include "store/cards.hpp"

namespace hn::store {

namespace {
std::string card_state_code(CardStatus s) { return s == CardStatus::Sold ? "sold" : "returned"; }
}  // namespace

std::optional<LabelCard> Cards::find(const std::string& card_no, const std::string& outlet_code) {
  auto st = db_.prepare(
      "SELECT card_no, serial_no, model_code, outlet_code, state FROM label_cards WHERE card_no = ?");
  st.bind(1, card_no);
  // The terminal's records are its own receipts: a card it has no record of was not
  // received here (POLICY R8).
  if (!st.step()) return LabelCard{card_no, "", "", CardStatus::NotReceived};
  LabelCard c{st.text(0), st.text(1), st.text(2), CardStatus::InStock};
  const std::string state = st.text(4);
  if (st.text(3) != outlet_code) c.status = CardStatus::NotReceived;
  else if (state == "sold") c.status = CardStatus::Sold;
  else if (state == "returned") c.status = CardStatus::Returned;
  return c;
}

bool Cards::exists(const std::string& card_no) {
  auto st = db_.prepare("SELECT 1 FROM label_cards WHERE card_no = ?");
  st.bind(1, card_no);
  return st.step();
}

bool Cards::serial_exists(const std::string& model_code, const std::string& serial_no) {
  auto st = db_.prepare("SELECT 1 FROM label_cards WHERE model_code = ? AND serial_no = ?");
  st.bind(1, model_code).bind(2, serial_no);
  return st.step();
}

std::int64_t Cards::add_goods_receipt(std::int64_t user_id, const std::string& source,
                                      const std::vector<CardReceiptRow>& rows,
                                      const std::string& outlet_code) {
  db_.prepare("INSERT INTO goods_receipts(received_at, user_id, source, card_count) "
              "VALUES(datetime('now'), ?, ?, ?)")
      .bind(1, user_id)
      .bind(2, source)
      .bind(3, static_cast<std::int64_t>(rows.size()))
      .run();
  const std::int64_t receipt = db_.last_insert_rowid();
  auto ins = db_.prepare("INSERT INTO label_cards(card_no, serial_no, model_code, outlet_code, "
                         "receipt_id) VALUES(?,?,?,?,?)");
  for (const auto& r : rows) {
    ins.reset();
    ins.bind(1, r.card_no).bind(2, r.serial_no).bind(3, r.model_code).bind(4, outlet_code).bind(5, receipt);
    ins.run();
  }
  return receipt;
}

std::int64_t Cards::count() {
  auto st = db_.prepare("SELECT COUNT(*) FROM label_cards");
  st.step();
  return st.int64(0);
}

std::vector<StockCard> Cards::list(const std::string& state, const std::string& model_code) {
  auto st = db_.prepare("SELECT card_no, serial_no, model_code, state FROM label_cards "
                        "WHERE (?1 = '' OR state = ?1) AND (?2 = '' OR model_code = ?2) ORDER BY card_no");
  st.bind(1, state).bind(2, model_code);
  std::vector<StockCard> out;
  while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2), st.text(3)});
  return out;
}

bool Cards::sell(const std::string& card_no, std::int64_t sale_id) {
  db_.prepare("UPDATE label_cards SET state = 'sold', sale_id = ? "
              "WHERE card_no = ? AND state = 'in_stock' AND sale_id IS NULL")
      .bind(1, sale_id)
      .bind(2, card_no)
      .run();
  return db_.changes() == 1;
}

void Cards::take_back(const std::string& card_no) {
  db_.prepare("UPDATE label_cards SET state = ? WHERE card_no = ?")
      .bind(1, card_state_code(CardStatus::Returned))
      .bind(2, card_no)
      .run();
}

}  // namespace hn::store
