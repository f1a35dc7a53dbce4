// The goods as they stand (issue 16): cards added one by one to a goods receipt as the boxes
// are scanned, and the stock view's counts per model and cards with their receipt.
#include "store/cards.hpp"

namespace hn::store {

namespace {
// The filter of the stock view: the card itself, or every model whose code contains the text.
// instr() rather than LIKE: model codes hold '_' and a typed '%' must not match everything.
constexpr const char* kStockFilter =
    "(?1 = '' OR c.card_no = ?1 OR instr(lower(c.model_code), lower(?1)) > 0)";
}  // namespace

bool Cards::add_to_goods_receipt(std::int64_t receipt, const std::string& source, const CardReceiptRow& row,
                                 const std::string& outlet_code) {
  auto raise = db_.prepare("UPDATE goods_receipts SET card_count = card_count + 1 WHERE id = ? AND source = ?");
  raise.bind(1, receipt).bind(2, source).run();
  if (db_.changes() == 0) return false;
  db_.prepare("INSERT INTO label_cards(card_no, serial_no, model_code, outlet_code, receipt_id) VALUES(?,?,?,?,?)")
      .bind(1, row.card_no)
      .bind(2, row.serial_no)
      .bind(3, row.model_code)
      .bind(4, outlet_code)
      .bind(5, receipt)
      .run();
  return true;
}

std::vector<StockCount> Cards::stock_by_model(const std::string& filter) {
  auto st = db_.prepare(std::string("SELECT c.model_code, SUM(c.state = 'in_stock'), SUM(c.state = 'sold'), "
                                    "SUM(c.state = 'returned') FROM label_cards c WHERE ") +
                        kStockFilter + " GROUP BY c.model_code ORDER BY c.model_code");
  st.bind(1, filter);
  std::vector<StockCount> out;
  while (st.step()) out.push_back({st.text(0), st.int64(1), st.int64(2), st.int64(3)});
  return out;
}

std::vector<StockEntry> Cards::stock_cards(const std::string& filter, int limit) {
  // The receipt's time, stored in UTC, on the terminal's clock (its UTC offset setting), as the
  // journal and the screens tell time.
  auto st = db_.prepare(std::string("SELECT c.card_no, c.serial_no, c.model_code, c.state, g.id, "
                                    "strftime('%Y-%m-%d %H:%M', g.received_at, (SELECT COALESCE(MAX(value), '480') FROM settings "
                                    "WHERE key = 'clock.utc_offset_minutes') || ' minutes'), g.source "
                                    "FROM label_cards c JOIN goods_receipts g ON g.id = c.receipt_id WHERE ") +
                        kStockFilter + " ORDER BY c.model_code, c.card_no LIMIT ?2");
  st.bind(1, filter).bind(2, static_cast<std::int64_t>(limit));
  std::vector<StockEntry> out;
  while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.int64(4), st.text(5), st.text(6)});
  return out;
}

}  // namespace hn::store
