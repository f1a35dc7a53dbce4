// Held sales (挂单, issue 16): a buyer and the lines the counter had, kept while the buyer
// fetches the 户口簿. The ID number and 户号 are sealed as a sale's are (DESIGN.md "Data").
#include <stdexcept>

#include "store/held_sales.hpp"

namespace hn::store {

namespace {
constexpr const char* kHeldColumns =
    "SELECT h.id, h.held_at, h.user_id, COALESCE(u.login, ''), h.buyer_name, h.buyer_id_enc, h.buyer_id_masked, "
    "h.household_enc, h.hukou, h.buyer_county, h.total, h.state FROM held_sales h "
    "LEFT JOIN users u ON u.id = h.user_id ";
}  // namespace

std::int64_t HeldSales::put(const HeldSale& h) {
  std::int64_t id = h.id;
  // The buyer and the total, the same nine values for a new hold and a hold after a recall.
  auto bind_buyer = [&](Statement st) {
    st.bind(1, h.held_at)
        .bind(2, h.user_id)
        .bind(3, h.buyer_name)
        .bind_blob(4, keys_.seal(h.buyer_id))
        .bind(5, mask_id_text(h.buyer_id))
        .bind_blob(6, keys_.seal(h.household))
        .bind(7, hukou_code(h.hukou))
        .bind(8, h.buyer_county)
        .bind(9, h.total);
    return st;
  };
  if (id == 0) {
    bind_buyer(db_.prepare("INSERT INTO held_sales(held_at, user_id, buyer_name, buyer_id_enc, buyer_id_masked, "
                           "household_enc, hukou, buyer_county, total) VALUES(?,?,?,?,?,?,?,?,?)"))
        .run();
    id = db_.last_insert_rowid();
  } else {
    // Held again after a recall: the same number, the buyer and lines as they are now.
    bind_buyer(db_.prepare("UPDATE held_sales SET held_at = ?, user_id = ?, buyer_name = ?, buyer_id_enc = ?, "
                           "buyer_id_masked = ?, household_enc = ?, hukou = ?, buyer_county = ?, total = ? "
                           "WHERE id = ? AND state = 'held'"))
        .bind(10, id)
        .run();
    if (db_.changes() != 1) throw DbError("the held sale is no longer held", 0);
    db_.prepare("DELETE FROM held_sale_lines WHERE held_id = ?").bind(1, id).run();
  }
  auto line = db_.prepare("INSERT INTO held_sale_lines(held_id, line_no, card_no, serial_no, price) VALUES(?,?,?,?,?)");
  int no = 0;
  for (const auto& l : h.lines) {
    line.reset();
    line.bind(1, id).bind(2, ++no).bind(3, l.card_no).bind(4, l.serial_no);
    if (l.price) line.bind(5, *l.price);
    else line.bind_null(5);
    line.run();
  }
  return id;
}

std::optional<HeldSale> HeldSales::find(std::int64_t id) {
  auto st = db_.prepare(std::string(kHeldColumns) + "WHERE h.id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  HeldSale h;
  h.id = st.int64(0);
  h.held_at = st.text(1);
  h.user_id = st.int64(2);
  h.user_login = st.text(3);
  h.buyer_name = st.text(4);
  h.buyer_id = keys_.open(st.blob(5));
  h.buyer_id_masked = st.text(6);
  h.household = keys_.open(st.blob(7));
  h.hukou = parse_hukou(st.text(8)).value_or(Hukou::Agricultural);
  h.buyer_county = st.optional_text(9);
  h.total = st.int64(10);
  h.state = st.text(11);
  st.reset();
  auto lines = db_.prepare("SELECT card_no, serial_no, price FROM held_sale_lines WHERE held_id = ? ORDER BY line_no");
  lines.bind(1, id);
  while (lines.step()) {
    HeldLine l{lines.text(0), lines.text(1), std::nullopt};
    if (!lines.is_null(2)) l.price = lines.int64(2);
    h.lines.push_back(std::move(l));
  }
  return h;
}

namespace {
// The ids of the open held sales `sql` selects with `bound` (a time), in the order it gives.
std::vector<std::int64_t> open_held_ids(Database& db, const char* sql, const std::string& bound) {
  std::vector<std::int64_t> ids;
  auto st = db.prepare(sql);
  st.bind(1, bound);
  while (st.step()) ids.push_back(st.int64(0));
  return ids;
}
}  // namespace

std::vector<HeldSale> HeldSales::list(const std::string& after) {
  std::vector<HeldSale> out;
  for (const auto id : open_held_ids(db_, "SELECT id FROM held_sales WHERE state = 'held' AND held_at > ? ORDER BY held_at, id", after))
    out.push_back(*find(id));
  return out;
}

std::vector<HeldSale> HeldSales::up_to(const std::string& at_or_before) {
  std::vector<HeldSale> out;
  for (const auto id : open_held_ids(db_, "SELECT id FROM held_sales WHERE state = 'held' AND held_at <= ? ORDER BY held_at, id",
                                     at_or_before))
    out.push_back(*find(id));
  return out;
}

std::int64_t HeldSales::card_held_by(const std::string& card_no, const std::string& after, std::int64_t except) {
  // MIN, not ORDER BY ... LIMIT 1: ordering the matching rows by id took a sorter (a temporary
  // B-tree) on every run, that is on every line of every checkout.
  auto st = db_.prepare("SELECT MIN(h.id) FROM held_sale_lines l JOIN held_sales h ON h.id = l.held_id "
                        "WHERE l.card_no = ? AND h.state = 'held' AND h.held_at > ? AND h.id != ?");
  st.bind(1, card_no).bind(2, after).bind(3, except);
  const std::int64_t id = st.step() && !st.is_null(0) ? st.int64(0) : 0;
  st.reset();
  return id;
}

void HeldSales::close(std::int64_t id, const std::string& state, const std::string& at, std::int64_t user_id,
                            std::int64_t sale_id, const std::string& reason) {
  auto st = db_.prepare("UPDATE held_sales SET state = ?, closed_at = ?, closed_by = NULLIF(?, 0), "
                        "sale_id = NULLIF(?, 0), reason = ? WHERE id = ? AND state = 'held'");
  st.bind(1, state).bind(2, at).bind(3, user_id).bind(4, sale_id).bind(5, reason).bind(6, id).run();
  if (db_.changes() != 1) throw DbError("the held sale is no longer held", 0);
}

}  // namespace hn::store
