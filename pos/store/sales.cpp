#include "store/sales.hpp"

#include <algorithm>
#include <string>

#include "core/id_number.hpp"
#include "store/cards.hpp"
#include "store/households.hpp"
#include "store/journal_head.hpp"
#include "store/outbox.hpp"
#include "store/settings.hpp"
#include "store/stored_values.hpp"

namespace hn::store {

std::int64_t Sales::next_invoice_no() {
  // Inside the sale's IMMEDIATE transaction this is gap-free: nothing else can take the number,
  // and a refused or rolled-back attempt never wrote one.
  auto st = db_.prepare("SELECT COALESCE(MAX(invoice_no), 0) FROM sales");
  st.step();
  std::int64_t last = st.int64(0);
  st.reset();
  // After a restore, the numbers the lost sales had are never issued again.
  if (const auto floor = setting(kInvoiceFloorSetting)) last = std::max<std::int64_t>(last, std::stoll(*floor));
  if (last > 0) return last + 1;
  const auto first = setting("invoice.first_number");
  return first ? std::stoll(*first) : 1;
}

Sales::BuyerHashes Sales::buyer_hashes(const Sale& sale) const {
  return {keys_.lookup_hash("id", sale.buyer_id), household_hash(sale.household)};
}

std::int64_t Sales::insert(Sale& sale) { return insert(sale, buyer_hashes(sale)); }

std::int64_t Sales::insert(Sale& sale, const BuyerHashes& hashes, std::int64_t journal_seq) {
  db_.prepare("INSERT INTO sales(uuid, invoice_no, sold_at, sale_date, user_id, buyer_name, "
              "buyer_id_enc, buyer_id_hash, buyer_id_masked, household_enc, household_hash, hukou, "
              "buyer_county, policy_phase, total, subsidy, warnings, journal_seq) "
              "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,NULLIF(?,0))")
      .bind(1, sale.uuid)
      .bind(2, sale.invoice_no)
      .bind(3, sale.sold_at)
      .bind(4, sale.sale_date.iso())
      .bind(5, sale.user_id)
      .bind(6, sale.buyer_name)
      .bind_blob(7, keys_.seal(sale.buyer_id))
      .bind(8, hashes.id_hash)
      .bind(9, mask_id_text(sale.buyer_id))
      .bind_blob(10, keys_.seal(sale.household))
      .bind(11, hashes.household_hash)
      .bind(12, hukou_code(sale.hukou))
      .bind(13, sale.buyer_county)
      .bind(14, sale.policy_phase)
      .bind(15, sale.total)
      .bind(16, sale.subsidy)
      .bind(17, sale.warnings)
      .bind(18, journal_seq)
      .run();
  sale.id = db_.last_insert_rowid();
  note_invoice_no(db_, sale.invoice_no);
  auto item = db_.prepare("INSERT INTO sale_items(sale_id, line_no, card_no, serial_no, model_code, "
                          "category, brand, name, spec, price, subsidy) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
  for (auto& it : sale.items) {
    item.reset();
    item.bind(1, sale.id).bind(2, it.line_no).bind(3, it.card_no).bind(4, it.serial_no)
        .bind(5, it.model_code).bind(6, category_code(it.category)).bind(7, it.brand)
        .bind(8, it.name).bind(9, it.spec).bind(10, it.price).bind(11, it.subsidy);
    item.run();
    it.id = db_.last_insert_rowid();
    // The engine checked the card; this guards against a race with another process.
    if (!Cards(db_).sell(it.card_no, sale.id))
      throw DbError("label card " + it.card_no + " is no longer in stock", 0);
  }
  enqueue_upload("sale", sale.id, sale.sold_at);
  return sale.id;
}

namespace {
constexpr const char* kSaleColumns =
    "id, uuid, invoice_no, sold_at, sale_date, user_id, buyer_name, buyer_id_enc, household_enc, "
    "hukou, buyer_county, policy_phase, total, subsidy, warnings";
}

std::optional<Sale> Sales::find(std::int64_t sale_id) {
  auto st = db_.prepare(std::string("SELECT ") + kSaleColumns + " FROM sales WHERE id = ?");
  st.bind(1, sale_id);
  if (!st.step()) return std::nullopt;
  Sale s;
  s.id = st.int64(0);
  s.uuid = st.text(1);
  s.invoice_no = st.int64(2);
  s.sold_at = st.text(3);
  s.sale_date = parse_stored_date(st.text(4));
  s.user_id = st.int64(5);
  s.buyer_name = st.text(6);
  s.buyer_id = keys_.open(st.blob(7));
  s.household = keys_.open(st.blob(8));
  s.hukou = parse_hukou(st.text(9)).value_or(Hukou::Agricultural);
  s.buyer_county = st.text(10);
  s.policy_phase = st.text(11);
  s.total = st.int64(12);
  s.subsidy = st.int64(13);
  s.warnings = st.text(14);
  auto items = db_.prepare("SELECT id, line_no, card_no, serial_no, model_code, category, brand, "
                           "name, spec, price, subsidy, state FROM sale_items WHERE sale_id = ? "
                           "ORDER BY line_no");
  items.bind(1, s.id);
  while (items.step()) {
    SaleItem it;
    it.id = items.int64(0);
    it.line_no = items.integer(1);
    it.card_no = items.text(2);
    it.serial_no = items.text(3);
    it.model_code = items.text(4);
    it.category = parse_stored_category(items.text(5));
    it.brand = items.text(6);
    it.name = items.text(7);
    it.spec = items.text(8);
    it.price = items.int64(9);
    it.subsidy = items.int64(10);
    it.returned = items.text(11) == "returned";
    s.items.push_back(std::move(it));
  }
  return s;
}

std::optional<Sale> Sales::find_by_invoice(std::int64_t invoice_no) {
  auto st = db_.prepare("SELECT id FROM sales WHERE invoice_no = ?");
  st.bind(1, invoice_no);
  if (!st.step()) return std::nullopt;
  return find(st.int64(0));
}

std::string Sales::upload_state(std::int64_t sale_id) {
  auto st = db_.prepare("SELECT state FROM outbox WHERE kind = 'sale' AND ref_id = ?");
  st.bind(1, sale_id);
  return st.step() ? st.text(0) : "pending";
}

std::optional<Sale> Sales::find_by_card(const std::string& card_no) {
  // A card sold, returned or taken back by an exchange keeps the sale it was sold in.
  auto st = db_.prepare("SELECT sale_id FROM label_cards WHERE card_no = ? AND sale_id IS NOT NULL");
  st.bind(1, card_no);
  if (!st.step()) return std::nullopt;
  return find(st.int64(0));
}

void Sales::mark_provisional(std::int64_t sale_id) {
  db_.prepare("UPDATE sales SET provisional = 1 WHERE id = ?").bind(1, sale_id).run();
}

SaleSettlement Sales::settlement(std::int64_t sale_id) {
  auto st = db_.prepare("SELECT action FROM sale_resolutions WHERE sale_id = ?");
  st.bind(1, sale_id);
  if (!st.step()) return SaleSettlement::None;
  return st.text(0) == "cancelled" ? SaleSettlement::Cancelled : SaleSettlement::Unsubsidised;
}

// The other repositories a sale writes through, by the names the code above has always used.
std::optional<std::string> Sales::setting(const std::string& key) { return Settings(db_).get(key); }

std::string Sales::household_hash(const std::string& household) const { return Households(db_, keys_).hash(household); }

void Sales::enqueue_upload(const char* kind, std::int64_t ref_id, const std::string& at) {
  Outbox(db_).enqueue(kind, ref_id, at);
}

std::string Sales::journal_hash(std::int64_t sale_id) {
  auto st = db_.prepare("SELECT j.hash FROM journal j JOIN sales s ON s.journal_seq = j.seq WHERE s.id = ?");
  st.bind(1, sale_id);
  return st.step() ? st.text(0) : "";
}

std::vector<std::int64_t> Sales::ids_between(const std::string& from_date, const std::string& to_date) {
  auto st = db_.prepare("SELECT id FROM sales WHERE sale_date BETWEEN ? AND ? ORDER BY invoice_no");
  st.bind(1, from_date).bind(2, to_date);
  std::vector<std::int64_t> out;
  while (st.step()) out.push_back(st.int64(0));
  return out;
}

std::int64_t Sales::first_id() {
  auto st = db_.prepare("SELECT MIN(id) FROM sales");
  st.step();
  return st.is_null(0) ? 0 : st.int64(0);
}

}  // namespace hn::store
