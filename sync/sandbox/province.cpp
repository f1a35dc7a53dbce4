// The province's database as the sandbox keeps it: opening it, its version, the outlets and
// their keys, replay nonces, cards and a household's history. Uploads (province_uploads.cpp),
// closings (province_closings.cpp), queries (province_queries.cpp), returns, admin and the
// schema have files of their own.
#include "province.hpp"

#include <algorithm>
#include <chrono>

#include "core/date.hpp"
#include "core/label_card.hpp"
#include "core/money.hpp"
#include "province_internal.hpp"
#include "platform/signing.hpp"

namespace hn::sandbox {

using platform::Database;
using platform::Statement;
using platform::Transaction;
using sync::UploadResult;
using sync::WireSale;

namespace {
constexpr int kUtcOffsetMinutes = 8 * 60;  // Asia/Shanghai
}  // namespace

namespace detail {

bool is_uuid_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

bool is_local_time(const std::string& s) {
  if (s.size() != 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
  if (!parse_iso_date(s.substr(0, 10))) return false;
  for (std::size_t i : {11u, 12u, 14u, 15u, 17u, 18u})
    if (s[i] < '0' || s[i] > '9') return false;
  return std::stoi(s.substr(11, 2)) < 24 && std::stoi(s.substr(14, 2)) < 60 &&
         std::stoi(s.substr(17, 2)) < 60;
}

UploadResult rejected(const std::string& uuid, const std::string& code, std::string zh, std::string en) {
  return UploadResult{uuid, "rejected", code, std::move(zh), std::move(en)};
}

UploadResult uuid_conflict(const std::string& uuid) {
  return rejected(uuid, "UUID_CONFLICT", "UUID " + uuid + " 已被另一网点的记录使用:请联系技术支持",
                  "UUID " + uuid + " is already used by another outlet's record: contact support");
}

}  // namespace detail

using namespace detail;

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string local_now_iso() { return local_time_from_unix(unix_now(), kUtcOffsetMinutes).iso(); }

Province::Statements::Statements(Database& db)
    : meta_get(db.prepare("SELECT value FROM prov_meta WHERE key = ?")),
      meta_put(db.prepare("INSERT INTO prov_meta(key, value) VALUES(?, ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value")),
      outlet_get(db.prepare("SELECT code, name, county, key_hex FROM prov_outlets WHERE code = ?")),
      card_get(db.prepare(
          "SELECT serial_no, model_code, outlet_code, state FROM prov_cards WHERE card_no = ?")),
      history_all(db.prepare(
          "SELECT i.category, COUNT(*) FROM prov_sales s JOIN prov_sale_items i ON i.sale_id = s.id "
          "WHERE s.household = ? AND s.status = 'accepted' AND i.returned = 0 GROUP BY i.category")),
      history_except(db.prepare(
          "SELECT i.category, COUNT(*) FROM prov_sales s JOIN prov_sale_items i ON i.sale_id = s.id "
          "WHERE s.household = ? AND s.status = 'accepted' AND i.returned = 0 "
          "AND s.outlet_code <> ? GROUP BY i.category")),
      sale_find(db.prepare(
          "SELECT status, code, message_zh, message_en, outlet_code FROM prov_sales WHERE uuid = ?")),
      sale_insert(db.prepare(
          "INSERT INTO prov_sales(uuid, outlet_code, invoice_no, sold_at, sale_date, policy_phase, "
          "buyer_name, buyer_id, household, hukou, buyer_county, total_fen, subsidy_fen, status, "
          "code, message_zh, message_en, warnings, received_at) "
          "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")),
      item_insert(db.prepare(
          "INSERT INTO prov_sale_items(sale_id, line_no, card_no, serial_no, model_code, category, "
          "price_fen, subsidy_fen) VALUES(?,?,?,?,?,?,?,?)")),
      card_set_state(db.prepare("UPDATE prov_cards SET state = ? WHERE card_no = ?")),
      duplicate_count(db.prepare(
          "INSERT INTO prov_duplicates(outlet_code, kind, count, last_at) VALUES(?,?,1,?) "
          "ON CONFLICT(outlet_code, kind) DO UPDATE SET count = count + 1, last_at = excluded.last_at")),
      event_find(db.prepare(
          "SELECT status, code, message_zh, message_en, outlet_code FROM prov_events WHERE uuid = ?")),
      event_insert(db.prepare(
          "INSERT INTO prov_events(uuid, outlet_code, kind, sale_uuid, card_no, at, reason, status, "
          "code, message_zh, message_en, received_at, new_card, new_serial) "
          "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,NULLIF(?, ''),NULLIF(?, ''))")),
      event_sale(db.prepare("SELECT id FROM prov_sales WHERE uuid = ? AND status = 'accepted' "
                            "AND outlet_code = ?")),
      event_item(db.prepare(
          "SELECT id, returned FROM prov_sale_items WHERE sale_id = ? AND card_no = ?")),
      item_return(db.prepare("UPDATE prov_sale_items SET returned = 1 WHERE id = ?")),
      claim_get(db.prepare("SELECT state, payment_held FROM prov_claims WHERE card_no = ?")),
      claim_put(db.prepare(
          "INSERT INTO prov_claims(card_no, state, payment_held, updated_at) VALUES(?,?,?,?) "
          "ON CONFLICT(card_no) DO UPDATE SET state = excluded.state, "
          "payment_held = excluded.payment_held, updated_at = excluded.updated_at")),
      claim_delete(db.prepare("DELETE FROM prov_claims WHERE card_no = ?")),
      sold_card(db.prepare(
          "SELECT s.uuid FROM prov_sale_items i JOIN prov_sales s ON s.id = i.sale_id "
          "WHERE i.card_no = ?")),
      own_sold_card(db.prepare(
          "SELECT s.uuid FROM prov_sale_items i JOIN prov_sales s ON s.id = i.sale_id "
          "WHERE i.card_no = ? AND s.outlet_code = ?")),
      nonce_insert(db.prepare(
          "INSERT OR IGNORE INTO prov_nonces(outlet_code, nonce, seen_at) VALUES(?,?,?)")),
      nonce_prune(db.prepare("DELETE FROM prov_nonces WHERE seen_at <= ?")) {}

Province::Province(Database db) : db_(std::move(db)) {}
Province::~Province() = default;
Province::Province(Province&&) noexcept = default;
Province& Province::operator=(Province&&) noexcept = default;

Province Province::open(const std::string& path, const std::string& assets_dir) {
  Province p(Database::open(path, /*create=*/true, detail::province_migrations(assets_dir)));
  // The sandbox is a stand-in, not a till: a commit need not survive a power cut, and
  // uploads of 10,000 sales must be quick (DESIGN.md "Budgets").
  p.db_.exec("PRAGMA synchronous=NORMAL");
  p.st_ = std::make_unique<Statements>(p.db_);
  return p;
}

std::int64_t Province::version() {
  Use st(st_->meta_get);
  st->bind(1, kMetaVersion);
  return st->step() ? std::stoll(st->text(0)) : 0;
}

std::int64_t Province::bump_version() {
  const std::int64_t v = version() + 1;
  Use st(st_->meta_put);
  st->bind(1, kMetaVersion).bind(2, std::to_string(v)).run();
  return v;
}

std::string Province::active_policy_id() {
  Use st(st_->meta_get);
  st->bind(1, kMetaPolicy);
  return st->step() ? st->text(0) : std::string();
}

void Province::refresh() {
  const std::int64_t v = version();
  if (v == cached_version_) return;
  Catalog catalog;
  auto st = db_.prepare(
      "SELECT model_code, category, brand, name, spec, max_price_fen, valid_from, valid_to "
      "FROM prov_catalog");
  while (st.step()) {
    CatalogModel m;
    m.model_code = st.text(0);
    const auto cat = parse_category(st.text(1));
    const auto from = parse_iso_date(st.text(6));
    if (!cat || !from) throw std::runtime_error("damaged catalog row " + m.model_code);
    m.category = *cat;
    m.brand = st.text(2);
    m.name = st.text(3);
    m.spec = st.text(4);
    m.max_price = st.int64(5);
    m.valid_from = *from;
    if (const auto to = st.optional_text(7)) m.valid_to = parse_iso_date(*to);
    catalog.put(std::move(m));
  }
  const std::string id = active_policy_id();
  auto ps = db_.prepare("SELECT source FROM prov_policies WHERE id = ?");
  ps.bind(1, id);
  PolicyPhase phase;
  ImportMessage err;
  if (!ps.step() || !parse_policy_file(ps.text(0), phase, err))
    throw std::runtime_error("the stored policy phase " + id + " is missing or damaged");
  catalog_ = std::move(catalog);
  policy_ = std::move(phase);
  cached_version_ = v;
}

// --- the server side ---------------------------------------------------------------------

std::optional<Outlet> Province::find_outlet(const std::string& code) {
  Use st(st_->outlet_get);
  st->bind(1, code);
  if (!st->step()) return std::nullopt;
  return Outlet{st->text(0), st->text(1), st->text(2)};
}

std::optional<std::vector<unsigned char>> Province::outlet_key(const std::string& code) {
  Use st(st_->outlet_get);
  st->bind(1, code);
  if (!st->step()) return std::nullopt;
  const std::string hex = st->text(3);
  std::vector<unsigned char> key;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    key.push_back(static_cast<unsigned char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return key;
}

std::map<std::string, std::map<std::string, std::int64_t>> Province::recent_nonces(std::int64_t now) {
  {
    Use prune(st_->nonce_prune);
    prune->bind(1, now - sync::kNonceMemorySeconds).run();
  }
  std::map<std::string, std::map<std::string, std::int64_t>> out;
  auto st = db_.prepare("SELECT outlet_code, nonce, seen_at FROM prov_nonces");
  while (st.step()) out[st.text(0)][st.text(1)] = st.int64(2);
  return out;
}

void Province::remember_nonce(const std::string& outlet_code, const std::string& nonce,
                              std::int64_t now) {
  if (++st_->nonces_since_prune >= 256) {
    st_->nonces_since_prune = 0;
    Use prune(st_->nonce_prune);
    prune->bind(1, now - sync::kNonceMemorySeconds).run();
  }
  Use st(st_->nonce_insert);
  st->bind(1, outlet_code).bind(2, nonce).bind(3, now).run();
}

std::optional<LabelCard> Province::card_for(const std::string& card_no, const std::string& outlet_code) {
  Use st(st_->card_get);
  st->bind(1, card_no);
  if (!st->step()) return std::nullopt;  // never issued: CARD_UNKNOWN
  LabelCard c{card_no, st->text(0), st->text(1), CardStatus::InStock};
  const std::string state = st->text(3);
  // The same order as the terminal's own records (store::Store::find_card): a card shipped to
  // another outlet was not received here (POLICY R8), whatever became of it there; one of ours
  // already sold, or taken back and destroyed, is sold (POLICY S1, R6).
  if (st->text(2) != outlet_code) c.status = CardStatus::NotReceived;
  else if (state == "sold") c.status = CardStatus::Sold;
  else if (state == "returned") c.status = CardStatus::Returned;
  return c;
}

HouseholdHistory Province::history(const std::string& household, const std::string* except_outlet) {
  // POLICY R5 across all outlets; POLICY R6: returned items give the quota back.
  Use st(except_outlet ? st_->history_except : st_->history_all);
  st->bind(1, household);
  if (except_outlet) st->bind(2, *except_outlet);
  HouseholdHistory h;
  while (st->step())
    if (const auto cat = parse_category(st->text(0))) h.held[*cat] += st->integer(1);
  return h;
}

}  // namespace hn::sandbox
