#include "store/store.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <map>
#include <optional>
#include <stdexcept>

#include "core/invoice.hpp"
#include "store/journal_head.hpp"
#include "store/sale_ledger.hpp"
#include "store/soundness.hpp"

namespace hn::store {

std::string_view role_code(Role r) {
  switch (r) {
    case Role::Clerk: return "clerk";
    case Role::Manager: return "manager";
    case Role::Auditor: return "auditor";
  }
  return "clerk";
}

std::optional<Role> parse_role(std::string_view code) {
  if (code == "clerk") return Role::Clerk;
  if (code == "manager") return Role::Manager;
  if (code == "auditor") return Role::Auditor;
  return std::nullopt;
}

namespace {
bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

std::string card_state_code(CardStatus s) { return s == CardStatus::Sold ? "sold" : "returned"; }

Date parse_stored_date(const std::string& text) {
  const auto d = parse_iso_date(text);
  if (!d) throw DbError("stored date is malformed: " + text, 0);
  return *d;
}

Category parse_stored_category(const std::string& text) {
  const auto c = parse_category(text);
  if (!c) throw DbError("stored category is unknown: " + text, 0);
  return *c;
}
}  // namespace

Store Store::open(const std::string& db_path, bool restoring) {
  if (!file_exists(db_path))
    throw SetupError("数据库 " + db_path + " 不存在:请先运行 huinong init,或用 --db 指定",
                     "database " + db_path + " does not exist: run huinong init first, or name it with --db");
  KeyRing keys = KeyRing::load(key_path_for(db_path));
  Database db = open_checked(db_path);
  check_keys(db, keys, key_path_for(db_path));
  anchor_journal(db, keys, restoring);
  // The newest sales against their journal entries: a few hundred entries, milliseconds. The
  // whole table is compared by every backup, closing and auditor's export.
  std::int64_t last_seq = 0;
  {
    auto st = db.prepare("SELECT COALESCE(MAX(seq), 0) FROM journal");
    if (st.step()) last_seq = st.int64(0);
  }
  if (const auto m = check_sales_against_journal(db, std::max<std::int64_t>(1, last_seq - kStartupSalesWindow)))
    throw sales_damaged(db_path, *m);
  return Store(std::move(db), std::move(keys));
}

Store Store::create(const std::string& db_path) {
  if (file_exists(db_path) || file_exists(key_path_for(db_path)) || file_exists(head_path_for(db_path)))
    throw SetupError("数据库 " + db_path + " 已存在,不会覆盖",
                     "database " + db_path + " already exists and will not be overwritten", "DATABASE_EXISTS");
  KeyRing keys = KeyRing::create(key_path_for(db_path));
  Database db = Database::open(db_path, true);
  db.prepare("INSERT INTO settings(key, value) VALUES(?, ?)").bind(1, kKeyCheckSetting).bind(2, keys.check_value()).run();
  anchor_journal(db, keys, true);
  return Store(std::move(db), std::move(keys));
}

DamagedError sales_damaged(const std::string& db_path, const SaleMismatch& m) {
  return DamagedError("数据库 " + db_path + " 已损坏或被改动:" + m.what_zh + "。请勿继续使用,恢复最近的备份(huinong restore),"
                          "并按纸质发票核对",
                      "database " + db_path + " is damaged or was altered: " + m.what_en + ". Do not go on using it; " +
                          "restore the last backup (huinong restore) and check against the paper invoices");
}

void Store::check_keys(Database& db, const KeyRing& keys, const std::string& key_path) {
  const SetupError mismatch(
      "密钥文件 " + key_path + " 不是这个数据库的密钥(另一网点的,或已被改动):终端不会用它读写任何数据。请从备份中取回本数据库的 .key 文件",
      "the key file " + key_path + " is not this database's key (another outlet's, or changed): the terminal " +
          "will not read or write anything with it. Put back this database's .key file from the backup",
      "KEY_MISMATCH", true);
  std::string recorded;
  {
    auto st = db.prepare("SELECT value FROM settings WHERE key = ?");
    st.bind(1, kKeyCheckSetting);
    if (st.step()) recorded = st.text(0);
  }
  if (!recorded.empty()) {
    if (!keys.matches_check(recorded)) throw mismatch;
    return;
  }
  // A terminal older than the check: the newest sale must open and hash as it was sealed.
  auto st = db.prepare("SELECT buyer_id_enc, buyer_id_hash FROM sales ORDER BY id DESC LIMIT 1");
  if (st.step()) {
    std::string id;
    try {
      id = keys.open(st.blob(0));
    } catch (const std::exception&) {
      throw mismatch;
    }
    if (keys.lookup_hash("id", id) != st.text(1)) throw mismatch;
  }
  st.reset();
  try {
    db.prepare("INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO NOTHING")
        .bind(1, kKeyCheckSetting)
        .bind(2, keys.check_value())
        .run();
  } catch (const DbError&) {
    // Busy or read-only: recorded at the next open.
  }
}

std::optional<std::string> Store::setting(const std::string& key) {
  auto st = db_.prepare("SELECT value FROM settings WHERE key = ?");
  st.bind(1, key);
  if (!st.step()) return std::nullopt;
  return st.text(0);
}

void Store::set_setting(const std::string& key, const std::string& value) {
  db_.prepare("INSERT INTO settings(key, value) VALUES(?, ?) "
              "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .bind(1, key)
      .bind(2, value)
      .run();
}

namespace {
constexpr const char* kUserColumns = "id, login, name, role, failed_pins, locked, active";

UserRecord read_user(const Statement& st) {
  UserRecord u;
  u.id = st.int64(0);
  u.login = st.text(1);
  u.name = st.text(2);
  u.role = parse_role(st.text(3)).value_or(Role::Clerk);
  u.failed_pins = st.integer(4);
  u.locked = st.integer(5) != 0;
  u.active = st.integer(6) != 0;
  return u;
}
}  // namespace

std::optional<UserRecord> Store::find_user(const std::string& login) {
  auto st = db_.prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE login = ?");
  st.bind(1, login);
  if (!st.step()) return std::nullopt;
  return read_user(st);
}

std::optional<UserRecord> Store::find_user(std::int64_t id) {
  auto st = db_.prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_user(st);
}

std::vector<UserRecord> Store::users() {
  auto st = db_.prepare(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY login");
  std::vector<UserRecord> out;
  while (st.step()) out.push_back(read_user(st));
  return out;
}

std::int64_t Store::add_user(const std::string& login, const std::string& name, Role role,
                             const std::string& pin) {
  const Bytes salt = random_bytes(16);
  db_.prepare("INSERT INTO users(login, name, role, pin_salt, pin_hash, pin_iterations, created_at) "
              "VALUES(?,?,?,?,?,?,datetime('now'))")
      .bind(1, login)
      .bind(2, name)
      .bind(3, role_code(role))
      .bind_blob(4, salt)
      .bind_blob(5, pin_hash(pin, salt, kPinIterations))
      .bind(6, kPinIterations)
      .run();
  return db_.last_insert_rowid();
}

bool Store::pin_matches(std::int64_t user_id, const std::string& pin) {
  auto st = db_.prepare("SELECT pin_salt, pin_hash, pin_iterations FROM users WHERE id = ?");
  st.bind(1, user_id);
  if (!st.step()) return false;
  return constant_time_equal(pin_hash(pin, st.blob(0), st.integer(2)), st.blob(1));
}

std::optional<int> Store::reserve_pin_attempt(std::int64_t user_id) {
  // One statement, committed before the slow comparison starts: however many sign-ins run at
  // once (threads, processes), at most kMaxFailedPins ever get a number to compare with.
  auto st = db_.prepare("UPDATE users SET failed_pins = failed_pins + 1 "
                        "WHERE id = ? AND active = 1 AND locked = 0 AND failed_pins < ? RETURNING failed_pins");
  st.bind(1, user_id).bind(2, kMaxFailedPins);
  std::optional<int> attempt;
  if (st.step()) attempt = st.integer(0);
  while (st.step()) {
  }
  return attempt;
}

void Store::lock_user(std::int64_t user_id) {
  db_.prepare("UPDATE users SET locked = 1 WHERE id = ?").bind(1, user_id).run();
}

void Store::clear_failed_pins(std::int64_t user_id) {
  db_.prepare("UPDATE users SET failed_pins = 0 WHERE id = ? AND failed_pins <> 0")
      .bind(1, user_id)
      .run();
}

void Store::spend_pin_time(const std::string& pin) {
  // An unknown login takes as long as a known one: the answer's speed names no user.
  static const Bytes salt(16, 0x5a);
  (void)pin_hash(pin, salt, kPinIterations);
}

void Store::set_pin(std::int64_t user_id, const std::string& pin) {
  const Bytes salt = random_bytes(16);
  db_.prepare("UPDATE users SET pin_salt = ?, pin_hash = ?, pin_iterations = ?, failed_pins = 0, locked = 0 WHERE id = ?")
      .bind_blob(1, salt)
      .bind_blob(2, pin_hash(pin, salt, kPinIterations))
      .bind(3, kPinIterations)
      .bind(4, user_id)
      .run();
}

void Store::unlock_user(std::int64_t user_id) {
  db_.prepare("UPDATE users SET failed_pins = 0, locked = 0 WHERE id = ?").bind(1, user_id).run();
}

void Store::put_policy_phase(const std::string& id, const std::string& source) {
  db_.prepare("INSERT INTO policy_phases(id, source, imported_at) VALUES(?,?,datetime('now')) "
              "ON CONFLICT(id) DO UPDATE SET source = excluded.source, imported_at = excluded.imported_at")
      .bind(1, id)
      .bind(2, source)
      .run();
}

std::optional<std::string> Store::policy_phase_source(const std::string& id) {
  auto st = db_.prepare("SELECT source FROM policy_phases WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return st.text(0);
}

std::vector<std::string> Store::policy_phase_ids() {
  auto st = db_.prepare("SELECT id FROM policy_phases ORDER BY id");
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.text(0));
  return out;
}

void Store::upsert_model(const CatalogModel& m) {
  db_.prepare("INSERT INTO catalog_models(model_code, category, brand, name, spec, max_price, "
              "valid_from, valid_to, updated_at) VALUES(?,?,?,?,?,?,?,?,datetime('now')) "
              "ON CONFLICT(model_code) DO UPDATE SET category = excluded.category, "
              "brand = excluded.brand, name = excluded.name, spec = excluded.spec, "
              "max_price = excluded.max_price, valid_from = excluded.valid_from, "
              "valid_to = excluded.valid_to, updated_at = excluded.updated_at")
      .bind(1, m.model_code)
      .bind(2, category_code(m.category))
      .bind(3, m.brand)
      .bind(4, m.name)
      .bind(5, m.spec)
      .bind(6, m.max_price)
      .bind(7, m.valid_from.iso())
      .bind(8, m.valid_to ? std::optional<std::string>(m.valid_to->iso()) : std::nullopt)
      .run();
}

namespace {
constexpr const char* kModelColumns =
    "model_code, category, brand, name, spec, max_price, valid_from, valid_to";

CatalogModel read_model(const Statement& st) {
  CatalogModel m;
  m.model_code = st.text(0);
  m.category = parse_stored_category(st.text(1));
  m.brand = st.text(2);
  m.name = st.text(3);
  m.spec = st.text(4);
  m.max_price = st.int64(5);
  m.valid_from = parse_stored_date(st.text(6));
  if (!st.is_null(7)) m.valid_to = parse_stored_date(st.text(7));
  return m;
}
}  // namespace

Catalog Store::load_catalog() {
  auto st = db_.prepare(std::string("SELECT ") + kModelColumns + " FROM catalog_models");
  Catalog c;
  while (st.step()) c.put(read_model(st));
  return c;
}

std::optional<CatalogModel> Store::find_model(const std::string& model_code) {
  auto st = db_.prepare(std::string("SELECT ") + kModelColumns +
                        " FROM catalog_models WHERE model_code = ?");
  st.bind(1, model_code);
  if (!st.step()) return std::nullopt;
  return read_model(st);
}

std::optional<LabelCard> Store::find_card(const std::string& card_no,
                                          const std::string& outlet_code) {
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

bool Store::card_exists(const std::string& card_no) {
  auto st = db_.prepare("SELECT 1 FROM label_cards WHERE card_no = ?");
  st.bind(1, card_no);
  return st.step();
}

bool Store::serial_exists(const std::string& model_code, const std::string& serial_no) {
  auto st = db_.prepare("SELECT 1 FROM label_cards WHERE model_code = ? AND serial_no = ?");
  st.bind(1, model_code).bind(2, serial_no);
  return st.step();
}

std::int64_t Store::add_goods_receipt(std::int64_t user_id, const std::string& source,
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

std::int64_t Store::card_count() {
  auto st = db_.prepare("SELECT COUNT(*) FROM label_cards");
  st.step();
  return st.int64(0);
}

std::vector<Store::StockCard> Store::cards(const std::string& state, const std::string& model_code) {
  auto st = db_.prepare("SELECT card_no, serial_no, model_code, state FROM label_cards "
                        "WHERE (?1 = '' OR state = ?1) AND (?2 = '' OR model_code = ?2) ORDER BY card_no");
  st.bind(1, state).bind(2, model_code);
  std::vector<StockCard> out;
  while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2), st.text(3)});
  return out;
}

std::string Store::household_hash(const std::string& household) const {
  return keys_.lookup_hash("household", household);
}

HouseholdHistory Store::household_history(const std::string& household) {
  auto st = db_.prepare(
      "SELECT i.category, COUNT(*) FROM sale_items i JOIN sales s ON s.id = i.sale_id "
      "WHERE s.household_hash = ? AND i.state = 'sold' "
      // POLICY R5 counts subsidised purchases: a sale settled as unsubsidised or cancelled
      // after the province rejected it holds no quota.
      "AND NOT EXISTS (SELECT 1 FROM sale_resolutions r WHERE r.sale_id = s.id) GROUP BY i.category");
  st.bind(1, household_hash(household));
  HouseholdHistory h;
  while (st.step()) h.held[parse_stored_category(st.text(0))] = st.integer(1);
  return h;
}

std::int64_t Store::next_invoice_no() {
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

Store::BuyerHashes Store::buyer_hashes(const SaleRecord& sale) const {
  return {keys_.lookup_hash("id", sale.buyer_id), household_hash(sale.household)};
}

std::int64_t Store::insert_sale(SaleRecord& sale) { return insert_sale(sale, buyer_hashes(sale)); }

std::int64_t Store::insert_sale(SaleRecord& sale, const BuyerHashes& hashes) {
  db_.prepare("INSERT INTO sales(uuid, invoice_no, sold_at, sale_date, user_id, buyer_name, "
              "buyer_id_enc, buyer_id_hash, buyer_id_masked, household_enc, household_hash, hukou, "
              "buyer_county, policy_phase, total, subsidy, warnings) "
              "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
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
      .run();
  sale.id = db_.last_insert_rowid();
  db_.note_invoice_no(sale.invoice_no);
  auto item = db_.prepare("INSERT INTO sale_items(sale_id, line_no, card_no, serial_no, model_code, "
                          "category, brand, name, spec, price, subsidy) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
  auto card = db_.prepare("UPDATE label_cards SET state = 'sold' WHERE card_no = ? AND state = 'in_stock'");
  for (auto& it : sale.items) {
    item.reset();
    item.bind(1, sale.id).bind(2, it.line_no).bind(3, it.card_no).bind(4, it.serial_no)
        .bind(5, it.model_code).bind(6, category_code(it.category)).bind(7, it.brand)
        .bind(8, it.name).bind(9, it.spec).bind(10, it.price).bind(11, it.subsidy);
    item.run();
    it.id = db_.last_insert_rowid();
    card.reset();
    card.bind(1, it.card_no);
    card.run();
    // The engine checked the card; this guards against a race with another process.
    if (db_.changes() != 1) throw DbError("label card " + it.card_no + " is no longer in stock", 0);
  }
  enqueue_upload("sale", sale.id, sale.sold_at);
  return sale.id;
}

namespace {
constexpr const char* kSaleColumns =
    "id, uuid, invoice_no, sold_at, sale_date, user_id, buyer_name, buyer_id_enc, household_enc, "
    "hukou, buyer_county, policy_phase, total, subsidy, warnings";
}

std::optional<SaleRecord> Store::find_sale(std::int64_t sale_id) {
  auto st = db_.prepare(std::string("SELECT ") + kSaleColumns + " FROM sales WHERE id = ?");
  st.bind(1, sale_id);
  if (!st.step()) return std::nullopt;
  SaleRecord s;
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
    SaleItemRecord it;
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

std::optional<SaleRecord> Store::find_sale_by_invoice(std::int64_t invoice_no) {
  auto st = db_.prepare("SELECT id FROM sales WHERE invoice_no = ?");
  st.bind(1, invoice_no);
  if (!st.step()) return std::nullopt;
  return find_sale(st.int64(0));
}

std::string Store::sale_upload_state(std::int64_t sale_id) {
  auto st = db_.prepare("SELECT state FROM outbox WHERE kind = 'sale' AND ref_id = ?");
  st.bind(1, sale_id);
  return st.step() ? st.text(0) : "pending";
}

std::int64_t Store::insert_return(const ReturnRecord& r, bool tell_province) {
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

std::int64_t Store::open_return_request(const ReturnRequest& r) {
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

void Store::update_return_request(const ReturnRequest& r) {
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

std::optional<ReturnRequest> Store::find_return_request(std::int64_t id) {
  auto st = db_.prepare(std::string(kRequestColumns) + "WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return request_from(st);
}

std::optional<ReturnRequest> Store::open_return_request_for_item(std::int64_t item_id) {
  auto st = db_.prepare(std::string(kRequestColumns) + "WHERE item_id = ? AND state = 'open'");
  st.bind(1, item_id);
  if (!st.step()) return std::nullopt;
  return request_from(st);
}

std::vector<ReturnRequest> Store::return_requests(const std::string& state) {
  auto st = db_.prepare(std::string(kRequestColumns) + "WHERE (?1 = '' OR state = ?1) ORDER BY id");
  st.bind(1, state);
  std::vector<ReturnRequest> out;
  while (st.step()) out.push_back(request_from(st));
  return out;
}

std::int64_t Store::add_return_event(std::int64_t request_id, const std::string& kind, const std::string& at) {
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

std::optional<ReturnEvent> Store::find_return_event(std::int64_t id) {
  auto st = db_.prepare("SELECT id, uuid, request_id, kind, at FROM return_events WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return ReturnEvent{st.int64(0), st.text(1), st.int64(2), st.text(3), st.text(4)};
}

void Store::withdraw_return_events(std::int64_t request_id) {
  db_.prepare("UPDATE outbox SET state = 'withdrawn' WHERE kind = 'event' AND state = 'pending' AND ref_id IN "
              "(SELECT id FROM return_events WHERE request_id = ?)")
      .bind(1, request_id)
      .run();
}

void Store::add_return_document(std::int64_t request_id, const ReturnDocument& doc) {
  db_.prepare("INSERT INTO return_documents(request_id, kind, number, body_enc, created_at) VALUES(?,?,?,?,?)")
      .bind(1, request_id)
      .bind(2, doc.kind)
      .bind(3, doc.number)
      .bind_blob(4, keys_.seal(doc.text))
      .bind(5, doc.created_at)
      .run();
}

std::vector<ReturnDocument> Store::return_documents(std::int64_t request_id) {
  auto st = db_.prepare("SELECT kind, number, body_enc, created_at FROM return_documents WHERE request_id = ? "
                        "ORDER BY id");
  st.bind(1, request_id);
  std::vector<ReturnDocument> out;
  while (st.step()) out.push_back({st.text(0), st.text(1), keys_.open(st.blob(2)), st.text(3)});
  return out;
}

std::optional<SaleRecord> Store::find_sale_by_card(const std::string& card_no) {
  auto st = db_.prepare("SELECT sale_id FROM sale_items WHERE card_no = ?1 "
                        "UNION ALL SELECT sale_id FROM exchanges WHERE old_card = ?1 LIMIT 1");
  st.bind(1, card_no);
  if (!st.step()) return std::nullopt;
  return find_sale(st.int64(0));
}

std::int64_t Store::insert_exchange(const ExchangeRecord& x, bool tell_province) {
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
  db_.prepare("UPDATE label_cards SET state = 'sold' WHERE card_no = ? AND state = 'in_stock'")
      .bind(1, x.new_card)
      .run();
  if (db_.changes() != 1) throw DbError("the new card is not in stock", 0);
  if (tell_province) enqueue_upload("exchange", id, x.exchanged_at);
  return id;
}

namespace {
constexpr const char* kExchangeColumns =
    "SELECT id, uuid, sale_id, item_id, old_card, old_serial, new_card, new_serial, exchanged_at, exchange_date, "
    "user_id, approver_id, reason, invoice_before_enc FROM exchanges ";
}  // namespace

std::vector<ExchangeRecord> Store::exchanges_where(const std::string& where, const std::vector<std::string>& args) {
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

std::optional<ExchangeRecord> Store::find_exchange(std::int64_t id) {
  auto v = exchanges_where("WHERE id = ?", {std::to_string(id)});
  if (v.empty()) return std::nullopt;
  return v.front();
}

std::optional<ExchangeRecord> Store::exchange_of_old_card(const std::string& card_no) {
  auto v = exchanges_where("WHERE old_card = ?", {card_no});
  if (v.empty()) return std::nullopt;
  return v.front();
}

std::vector<ExchangeRecord> Store::exchanges_of_sale(std::int64_t sale_id) {
  return exchanges_where("WHERE sale_id = ?", {std::to_string(sale_id)});
}

std::vector<ExchangeRecord> Store::exchanges_between(const std::string& from_date, const std::string& to_date) {
  return exchanges_where("WHERE exchange_date BETWEEN ? AND ?", {from_date, to_date});
}

void Store::enqueue_upload(const char* kind, std::int64_t ref_id, const std::string& at) {
  db_.prepare("INSERT INTO outbox(kind, ref_id, created_at) VALUES(?, ?, ?)").bind(1, kind).bind(2, ref_id).bind(3, at).run();
}

void Store::take_back_card(const std::string& card_no) {
  db_.prepare("UPDATE label_cards SET state = ? WHERE card_no = ?")
      .bind(1, card_state_code(CardStatus::Returned))
      .bind(2, card_no)
      .run();
}

void Store::outbox_withdraw(std::int64_t id) {
  db_.prepare("UPDATE outbox SET state = 'withdrawn' WHERE id = ? AND state = 'pending'").bind(1, id).run();
}

void Store::outbox_defer(std::int64_t id, std::int64_t unix_ms) {
  db_.prepare("UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND state = 'pending'")
      .bind(1, unix_ms)
      .bind(2, id)
      .run();
}

DailyFigures Store::daily_figures(Date date) { return report_figures(date, date, date.plus_days(-29)); }

DailyFigures Store::report_figures(Date from, Date to, Date series_from) {
  DailyFigures f;
  f.date = from;
  f.to = to;
  const std::string lo = from.iso(), hi = to.iso();
  // One read snapshot: the figures add up with each other even while the counter sells
  // (unless the caller already holds a transaction, which is one).
  std::optional<ReadTransaction> read;
  if (sqlite3_get_autocommit(db_.handle())) read.emplace(db_);
  std::map<std::int64_t, std::string> logins;  // user id -> login
  {
    auto st = db_.prepare("SELECT id, login, name FROM users");
    while (st.step()) {
      logins[st.int64(0)] = st.text(1);
      f.by_clerk[st.text(1)].name = st.text(2);
    }
  }
  {
    auto st = db_.prepare("SELECT user_id, COUNT(*) FROM sales WHERE sale_date BETWEEN ? AND ? GROUP BY user_id");
    st.bind(1, lo).bind(2, hi);
    while (st.step()) {
      f.by_clerk[logins[st.int64(0)]].sales = st.integer(1);
      f.sales_count += st.integer(1);
    }
  }
  {
    auto st = db_.prepare("SELECT i.category, s.user_id, COUNT(*), SUM(i.price), SUM(i.subsidy) "
                          "FROM sale_items i JOIN sales s ON s.id = i.sale_id "
                          "WHERE s.sale_date BETWEEN ? AND ? GROUP BY i.category, s.user_id");
    st.bind(1, lo).bind(2, hi);
    while (st.step()) {
      auto& c = f.by_category[parse_stored_category(st.text(0))];
      auto& k = f.by_clerk[logins[st.int64(1)]];
      const int n = st.integer(2);
      const Fen total = st.int64(3), subsidy = st.int64(4);
      c.count += n;
      c.total += total;
      c.subsidy += subsidy;
      k.items += n;
      k.total += total;
      k.subsidy += subsidy;
    }
  }
  {
    auto st = db_.prepare("SELECT COUNT(*), COALESCE(SUM(price), 0), COALESCE(SUM(subsidy), 0) "
                          "FROM returns WHERE return_date BETWEEN ? AND ?");
    st.bind(1, lo).bind(2, hi);
    st.step();
    f.returns_count = st.integer(0);
    f.returns_total = st.int64(1);
    f.returns_subsidy = st.int64(2);
  }
  {
    // 预退货: the pre-return events filed in the period, at the item's price and subsidy.
    auto st = db_.prepare("SELECT COUNT(*), COALESCE(SUM(i.price), 0), COALESCE(SUM(i.subsidy), 0) "
                          "FROM return_events e JOIN return_requests q ON q.id = e.request_id "
                          "JOIN sale_items i ON i.id = q.item_id "
                          "WHERE e.kind = 'pre_return' AND substr(e.at, 1, 10) BETWEEN ? AND ?");
    st.bind(1, lo).bind(2, hi);
    st.step();
    f.pre_returns_count = st.integer(0);
    f.pre_returns_total = st.int64(1);
    f.pre_returns_subsidy = st.int64(2);
  }
  for (const auto& r : refused_attempts(from, to)) {
    ++f.refused_attempts;
    ++f.by_clerk[r.user_login].refused;
    for (const auto& code : r.codes) ++f.refused_by_code[code];
  }
  {
    // A rejected sale waits for the manager until settled; a settled one waits for nothing.
    // (A sale's row is pending, accepted or rejected: naming the two, and keeping the planner
    // off the (kind, ref_id) index with "+", lets outbox_by_state find them without reading
    // the million accepted rows: 2 ms instead of 490 ms on the 1M-sale benchmark store.)
    auto st = db_.prepare("SELECT s.sale_date, COUNT(*), MIN(s.invoice_no), MAX(s.invoice_no) "
                          "FROM outbox o JOIN sales s ON s.id = o.ref_id "
                          "WHERE +o.kind = 'sale' AND o.state IN ('pending', 'rejected') "
                          "AND NOT EXISTS (SELECT 1 FROM sale_resolutions r WHERE r.sale_id = o.ref_id) "
                          "GROUP BY s.sale_date ORDER BY s.sale_date");
    while (st.step()) {
      PendingDay p;
      p.sale_date = parse_stored_date(st.text(0));
      p.count = st.integer(1);
      p.first_invoice = format_invoice_no(st.int64(2));
      p.last_invoice = format_invoice_no(st.int64(3));
      f.pending_upload += p.count;
      f.pending.push_back(std::move(p));
    }
  }
  {
    // The line chart: every day from series_from to `to`, days without sales at zero.
    std::map<std::int64_t, DayPoint> days;
    for (std::int64_t d = series_from.serial(); d <= to.serial(); ++d) days[d].date = Date::from_serial(d);
    // The sales table alone (a sale's total and subsidy are its items' sums): no join.
    auto st = db_.prepare("SELECT sale_date, COUNT(*), SUM(total), SUM(subsidy) FROM sales "
                          "WHERE sale_date BETWEEN ? AND ? GROUP BY sale_date");
    st.bind(1, series_from.iso()).bind(2, hi);
    while (st.step()) {
      auto& p = days[parse_stored_date(st.text(0)).serial()];
      p.sales = st.integer(1);
      p.total = st.int64(2);
      p.subsidy = st.int64(3);
    }
    for (const auto& [serial, p] : days) f.series.push_back(p);
  }
  // Clerks who did nothing in the period are left out.
  for (auto it = f.by_clerk.begin(); it != f.by_clerk.end();)
    it = it->second.sales == 0 && it->second.items == 0 && it->second.refused == 0 ? f.by_clerk.erase(it) : std::next(it);
  return f;
}

std::int64_t Store::journal_first_seq_at_or_after(const std::string& at) {
  // The journal is appended in time order, so `at` grows with seq: a binary search over the
  // primary key (the journal has no index on `at`, and on a busy terminal it is the largest
  // table). A clock set back across midnight can misplace the entries of those minutes.
  std::int64_t lo = 1, hi = 0;
  {
    auto st = db_.prepare("SELECT COALESCE(MAX(seq), 0) FROM journal");
    st.step();
    hi = st.int64(0) + 1;  // the answer is in [lo, hi]; hi means "after the last entry"
  }
  auto st = db_.prepare("SELECT at FROM journal WHERE seq = ?");
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    st.reset();
    st.bind(1, mid);
    const bool found = st.step();
    if (found && st.text(0) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

std::vector<RefusedAttempt> Store::refused_attempts(Date from, Date to) {
  const std::int64_t first = journal_first_seq_at_or_after(from.iso());
  const std::int64_t end = journal_first_seq_at_or_after(to.plus_days(1).iso());
  auto st = db_.prepare("SELECT at, user_login, body FROM journal WHERE seq >= ? AND seq < ? AND kind = 'sale_refused'");
  st.bind(1, first).bind(2, end);
  std::vector<RefusedAttempt> out;
  while (st.step()) {
    RefusedAttempt r;
    r.at = st.text(0);
    r.user_login = st.text(1);
    const auto body = nlohmann::json::parse(st.text(2), nullptr, false);
    if (body.is_object() && body.contains("codes") && body["codes"].is_array())
      for (const auto& c : body["codes"])
        if (c.is_string()) r.codes.push_back(c.get<std::string>());
    out.push_back(std::move(r));
  }
  return out;
}

int Store::pending_uploads() {
  // A rejected sale waits for the manager until settled; a settled one waits for nothing.
  // The states not yet accepted, named, so that outbox_by_state finds the few such rows; "<>"
  // and the (kind, ref_id) index made this a scan of every sale ever made (240 ms of the daily
  // report's 250 on the 1M-sale benchmark store). `+o.kind` keeps the planner off that index.
  auto st = db_.prepare("SELECT COUNT(*) FROM outbox o WHERE +o.kind = 'sale' "
                        "AND o.state IN ('pending', 'rejected', 'withdrawn') "
                        "AND NOT EXISTS (SELECT 1 FROM sale_resolutions r WHERE r.sale_id = o.ref_id)");
  st.step();
  return st.integer(0);
}

std::vector<std::pair<Date, int>> Store::pending_sales_by_date() {
  auto st = db_.prepare("SELECT s.sale_date, COUNT(*) FROM outbox o JOIN sales s ON s.id = o.ref_id "
                        "WHERE +o.kind = 'sale' AND o.state IN ('pending', 'rejected', 'withdrawn') "
                        "AND NOT EXISTS (SELECT 1 FROM sale_resolutions r WHERE r.sale_id = o.ref_id) "
                        "GROUP BY s.sale_date "
                        "ORDER BY s.sale_date");
  std::vector<std::pair<Date, int>> out;
  while (st.step()) out.emplace_back(parse_stored_date(st.text(0)), st.integer(1));
  return out;
}

std::vector<OutboxRow> Store::due_outbox(std::int64_t unix_ms, int limit) {
  auto st = db_.prepare("SELECT id, kind, ref_id, attempts FROM outbox WHERE state = 'pending' "
                        "AND next_attempt_at <= ? ORDER BY id LIMIT ?");
  st.bind(1, unix_ms).bind(2, limit);
  std::vector<OutboxRow> out;
  while (st.step()) out.push_back({st.int64(0), st.text(1), st.int64(2), st.integer(3)});
  return out;
}

void Store::outbox_answered(std::int64_t id, const std::string& state, const std::string& code,
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

void Store::outbox_failed(std::int64_t id, const std::string& error, std::int64_t next_attempt_at) {
  db_.prepare("UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? "
              "WHERE id = ? AND state = 'pending'")
      .bind(1, error)
      .bind(2, next_attempt_at)
      .bind(3, id)
      .run();
}

std::int64_t Store::next_outbox_attempt() {
  auto st = db_.prepare("SELECT COALESCE(MIN(next_attempt_at), 0) FROM outbox WHERE state = 'pending'");
  st.step();
  return st.int64(0);
}

std::optional<ReturnRecord> Store::find_return(std::int64_t return_id) {
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

void Store::mark_provisional(std::int64_t sale_id) {
  db_.prepare("UPDATE sales SET provisional = 1 WHERE id = ?").bind(1, sale_id).run();
}

std::int64_t Store::add_task(const Task& t) {
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

std::vector<Task> Store::tasks(const std::string& state) {
  auto st = db_.prepare(std::string(kTaskColumns) + "WHERE (?1 = '' OR state = ?1) ORDER BY id");
  st.bind(1, state);
  std::vector<Task> out;
  while (st.step()) out.push_back(task_from(st));
  return out;
}

std::optional<Task> Store::find_task(std::int64_t task_id) {
  auto st = db_.prepare(std::string(kTaskColumns) + "WHERE id = ?");
  st.bind(1, task_id);
  if (!st.step()) return std::nullopt;
  return task_from(st);
}

void Store::resolve_task(const Task& task, SaleSettlement settlement, const std::string& resolution,
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

SaleSettlement Store::sale_settlement(std::int64_t sale_id) {
  auto st = db_.prepare("SELECT action FROM sale_resolutions WHERE sale_id = ?");
  st.bind(1, sale_id);
  if (!st.step()) return SaleSettlement::None;
  return st.text(0) == "cancelled" ? SaleSettlement::Cancelled : SaleSettlement::Unsubsidised;
}

}  // namespace hn::store
