#include "province.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include "core/date.hpp"
#include "core/exchange.hpp"
#include "core/label_card.hpp"
#include "core/text.hpp"
#include "store/crypto.hpp"
#include "store/signing.hpp"

namespace hn::sandbox {

using store::Database;
using store::Statement;
using store::Transaction;
using sync::UploadResult;
using sync::WireSale;

namespace {

// POLICY.md "Policy data across phases": the default policy is the Dec 2008 one.
constexpr const char* kDefaultPolicyFile = "policy/2008-12.ini";
constexpr int kUtcOffsetMinutes = 8 * 60;  // Asia/Shanghai

constexpr const char* kMetaSchema = "schema_version";
constexpr const char* kMetaVersion = "updates_version";
constexpr const char* kMetaPolicy = "active_policy";

// The sandbox's own numbered migrations, in tables of their own (prov_*): the file is opened
// through hn::store::Database, which also lays down the terminal's schema beside them.
// Append, never edit one that has shipped.
constexpr const char* kMigrations[] = {
    R"SQL(
CREATE TABLE prov_outlets(
  code       TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  county     TEXT NOT NULL,
  key_hex    TEXT NOT NULL,
  created_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE prov_policies(
  id          TEXT PRIMARY KEY,
  source      TEXT NOT NULL,
  version     INTEGER NOT NULL,
  imported_at TEXT NOT NULL
);

CREATE TABLE prov_catalog(
  model_code    TEXT PRIMARY KEY,
  category      TEXT NOT NULL,
  brand         TEXT NOT NULL,
  name          TEXT NOT NULL,
  spec          TEXT NOT NULL,
  max_price_fen INTEGER NOT NULL CHECK (max_price_fen > 0),
  valid_from    TEXT NOT NULL,
  valid_to      TEXT,
  version       INTEGER NOT NULL
);
CREATE INDEX prov_catalog_by_version ON prov_catalog(version);

-- Label cards as shipped: each to one outlet (POLICY R8), sold once province-wide (POLICY S1).
CREATE TABLE prov_cards(
  card_no     TEXT PRIMARY KEY,
  serial_no   TEXT NOT NULL,
  model_code  TEXT NOT NULL REFERENCES prov_catalog(model_code),
  outlet_code TEXT NOT NULL REFERENCES prov_outlets(code),
  state       TEXT NOT NULL DEFAULT 'issued' CHECK (state IN ('issued','sold','returned')),
  version     INTEGER NOT NULL,
  issued_at   TEXT NOT NULL,
  UNIQUE (model_code, serial_no)
);
CREATE INDEX prov_cards_by_outlet ON prov_cards(outlet_code, version);

-- Every sale ever uploaded, accepted or rejected: its UUID is its idempotency key forever.
CREATE TABLE prov_sales(
  id           INTEGER PRIMARY KEY,
  uuid         TEXT NOT NULL UNIQUE,
  outlet_code  TEXT NOT NULL REFERENCES prov_outlets(code),
  invoice_no   TEXT NOT NULL,
  sold_at      TEXT NOT NULL,
  sale_date    TEXT NOT NULL,
  policy_phase TEXT NOT NULL,
  buyer_name   TEXT NOT NULL,
  buyer_id     TEXT NOT NULL,
  household    TEXT NOT NULL,
  hukou        TEXT NOT NULL,
  buyer_county TEXT,
  total_fen    INTEGER NOT NULL,
  subsidy_fen  INTEGER NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('accepted','rejected')),
  code         TEXT NOT NULL DEFAULT '',
  message_zh   TEXT NOT NULL DEFAULT '',
  message_en   TEXT NOT NULL DEFAULT '',
  warnings     TEXT NOT NULL DEFAULT '',
  received_at  TEXT NOT NULL
);
CREATE INDEX prov_sales_by_household ON prov_sales(household) WHERE status = 'accepted';

-- The items of accepted sales only: a rejected sale is not stored as sold.
CREATE TABLE prov_sale_items(
  id          INTEGER PRIMARY KEY,
  sale_id     INTEGER NOT NULL REFERENCES prov_sales(id),
  line_no     INTEGER NOT NULL,
  card_no     TEXT NOT NULL UNIQUE REFERENCES prov_cards(card_no),
  serial_no   TEXT NOT NULL,
  model_code  TEXT NOT NULL,
  category    TEXT NOT NULL,
  price_fen   INTEGER NOT NULL,
  subsidy_fen INTEGER NOT NULL,
  returned    INTEGER NOT NULL DEFAULT 0,
  UNIQUE (sale_id, line_no)
);

CREATE TABLE prov_events(
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE,
  outlet_code TEXT NOT NULL REFERENCES prov_outlets(code),
  kind        TEXT NOT NULL CHECK (kind IN ('return','pre_return','cancel_claim')),
  sale_uuid   TEXT NOT NULL,
  card_no     TEXT NOT NULL,
  at          TEXT NOT NULL,
  reason      TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('accepted','rejected')),
  code        TEXT NOT NULL DEFAULT '',
  message_zh  TEXT NOT NULL DEFAULT '',
  message_en  TEXT NOT NULL DEFAULT '',
  received_at TEXT NOT NULL
);

-- The township finance office's record of a sold card's subsidy; no row: not_claimed.
CREATE TABLE prov_claims(
  card_no       TEXT PRIMARY KEY,
  state         TEXT NOT NULL CHECK (state IN ('claimed','approved','paid','refunded','rejected')),
  payment_held  INTEGER NOT NULL DEFAULT 0,
  updated_at    TEXT NOT NULL
) WITHOUT ROWID;

-- Duplicates answered, per outlet, for `report`: accepted and rejected answers are the rows
-- of prov_sales and prov_events themselves (one per UUID), so only re-sends need counting.
CREATE TABLE prov_duplicates(
  outlet_code TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('sale','event')),
  count       INTEGER NOT NULL,
  last_at     TEXT NOT NULL,
  PRIMARY KEY (outlet_code, kind)
) WITHOUT ROWID;

-- Request nonces seen in the last 600 s, so REPLAYED holds across a restart of `serve`.
CREATE TABLE prov_nonces(
  outlet_code TEXT NOT NULL,
  nonce       TEXT NOT NULL,
  seen_at     INTEGER NOT NULL,
  PRIMARY KEY (outlet_code, nonce)
) WITHOUT ROWID;
)SQL",
    // 2: the return request (退货申请) for a paid subsidy, which the township office confirms.
    R"SQL(
CREATE TABLE prov_events_v2(
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE,
  outlet_code TEXT NOT NULL REFERENCES prov_outlets(code),
  kind        TEXT NOT NULL CHECK (kind IN ('return','pre_return','cancel_claim','return_request')),
  sale_uuid   TEXT NOT NULL,
  card_no     TEXT NOT NULL,
  at          TEXT NOT NULL,
  reason      TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('accepted','rejected')),
  code        TEXT NOT NULL DEFAULT '',
  message_zh  TEXT NOT NULL DEFAULT '',
  message_en  TEXT NOT NULL DEFAULT '',
  received_at TEXT NOT NULL
);
INSERT INTO prov_events_v2 SELECT * FROM prov_events;
DROP TABLE prov_events;
ALTER TABLE prov_events_v2 RENAME TO prov_events;
)SQL",
    // 3: the outlets' signed daily closings and the key they are signed with.
    R"SQL(
CREATE TABLE prov_closings(
  uuid        TEXT PRIMARY KEY,
  outlet_code TEXT NOT NULL REFERENCES prov_outlets(code),
  date        TEXT NOT NULL,
  body        TEXT NOT NULL,
  signature   TEXT NOT NULL,
  public_key  TEXT NOT NULL,
  received_at TEXT NOT NULL
);
CREATE TABLE prov_outlet_keys(
  outlet_code TEXT PRIMARY KEY REFERENCES prov_outlets(code),
  public_key  TEXT NOT NULL,
  since       TEXT NOT NULL
);
)SQL",
    // 4: exchanges for the same model (换货): the event names the replacement card and serial.
    R"SQL(
CREATE TABLE prov_events_v4(
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE,
  outlet_code TEXT NOT NULL REFERENCES prov_outlets(code),
  kind        TEXT NOT NULL CHECK (kind IN ('return','pre_return','cancel_claim','return_request','exchange')),
  sale_uuid   TEXT NOT NULL,
  card_no     TEXT NOT NULL,
  at          TEXT NOT NULL,
  reason      TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('accepted','rejected')),
  code        TEXT NOT NULL DEFAULT '',
  message_zh  TEXT NOT NULL DEFAULT '',
  message_en  TEXT NOT NULL DEFAULT '',
  received_at TEXT NOT NULL,
  new_card    TEXT,
  new_serial  TEXT
);
INSERT INTO prov_events_v4(id, uuid, outlet_code, kind, sale_uuid, card_no, at, reason, status, code,
                           message_zh, message_en, received_at)
  SELECT id, uuid, outlet_code, kind, sale_uuid, card_no, at, reason, status, code, message_zh, message_en,
         received_at FROM prov_events;
DROP TABLE prov_events;
ALTER TABLE prov_events_v4 RENAME TO prov_events;
)SQL",
};
constexpr int kLatestSchema = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);

// Resets a statement when the use of it ends, so no read stays open between requests.
class Use {
 public:
  explicit Use(Statement& s) : s_(s) {}
  ~Use() { s_.reset(); }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;
  Statement* operator->() { return &s_; }
  Statement& operator*() { return s_; }

 private:
  Statement& s_;
};

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return !in.bad();
}

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

}  // namespace

InputError import_error(const ImportMessage& m, const std::string& what_zh, const std::string& what_en) {
  std::string zh, en;
  if (m.line > 0) {
    zh = "第 " + std::to_string(m.line) + " 行";
    en = "row " + std::to_string(m.line);
  }
  if (!m.field.empty()) {
    zh += (zh.empty() ? "" : " ") + m.field;
    en += (en.empty() ? "" : ", ") + m.field;
  }
  if (!zh.empty()) zh += ":";
  if (!en.empty()) en += ": ";
  return InputError(what_zh + "未导入任何内容。" + zh + m.message_zh,
                    "nothing from " + what_en + " was imported. " + en + m.message_en);
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string local_now_iso() { return local_time_from_unix(unix_now(), kUtcOffsetMinutes).iso(); }

bool is_claim_state(const std::string& s) {
  return s == "claimed" || s == "approved" || s == "paid" || s == "refunded" || s == "rejected";
}

bool event_from_wire(const nlohmann::json& j, WireEvent& out, std::string& error) {
  if (!j.is_object()) {
    error = "(event): 应为 JSON 对象 / must be a JSON object";
    return false;
  }
  WireEvent e;
  auto field = [&](const char* key, std::string& dst, bool required) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (!required) return true;
      error = std::string(key) + ": 缺少此字段 / missing";
      return false;
    }
    if (!it->is_string() || !is_valid_utf8(it->get_ref<const std::string&>())) {
      error = std::string(key) + ": 应为字符串 / must be a string";
      return false;
    }
    dst = it->get<std::string>();
    if (required && dst.empty()) {
      error = std::string(key) + ": 不能为空 / must not be empty";
      return false;
    }
    return true;
  };
  if (!field("uuid", e.uuid, true) || !field("kind", e.kind, true) ||
      !field("sale_uuid", e.sale_uuid, true) || !field("card", e.card, true) ||
      !field("at", e.at, true) || !field("reason", e.reason, false) ||
      !field("new_card", e.new_card, e.kind == "exchange") ||
      !field("new_serial", e.new_serial, e.kind == "exchange"))
    return false;
  if (e.uuid.size() > 64 || std::any_of(e.uuid.begin(), e.uuid.end(), [](char c) { return !is_uuid_char(c); })) {
    error = "uuid: 应为 UUID / must be a UUID";
    return false;
  }
  if (e.kind != "return" && e.kind != "pre_return" && e.kind != "cancel_claim" && e.kind != "return_request" &&
      e.kind != "exchange") {
    error = "kind: 应为 return、pre_return、cancel_claim、return_request 或 exchange / must be return, "
            "pre_return, cancel_claim, return_request or exchange";
    return false;
  }
  if (!is_local_time(e.at)) {
    error = "at: 应为本地时间 YYYY-MM-DDTHH:MM:SS / must be a local time YYYY-MM-DDTHH:MM:SS";
    return false;
  }
  out = std::move(e);
  return true;
}

// --- prepared statements: one set per connection, reused for every sale ----------------

struct Province::Statements {
  explicit Statements(Database& db)
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
        nonce_insert(db.prepare(
            "INSERT OR IGNORE INTO prov_nonces(outlet_code, nonce, seen_at) VALUES(?,?,?)")),
        nonce_prune(db.prepare("DELETE FROM prov_nonces WHERE seen_at <= ?")) {}

  Statement meta_get, meta_put, outlet_get, card_get, history_all, history_except, sale_find,
      sale_insert, item_insert, card_set_state, duplicate_count, event_find, event_insert,
      event_sale, event_item, item_return, claim_get, claim_put, claim_delete, sold_card,
      nonce_insert, nonce_prune;
  int nonces_since_prune = 0;
};

Province::Province(Database db) : db_(std::move(db)) {}
Province::~Province() = default;
Province::Province(Province&&) noexcept = default;
Province& Province::operator=(Province&&) noexcept = default;

Province Province::open(const std::string& path, const std::string& assets_dir) {
  Province p(Database::open(path, /*create=*/true));
  // The sandbox is a stand-in, not a till: a commit need not survive a power cut, and
  // uploads of 10,000 sales must be quick (DESIGN.md "Budgets").
  p.db_.exec("PRAGMA synchronous=NORMAL");
  p.migrate(assets_dir);
  p.st_ = std::make_unique<Statements>(p.db_);
  return p;
}

void Province::migrate(const std::string& assets_dir) {
  Transaction tx(db_);
  db_.exec("CREATE TABLE IF NOT EXISTS prov_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
  int current = 0;
  {
    auto st = db_.prepare("SELECT value FROM prov_meta WHERE key = ?");
    st.bind(1, kMetaSchema);
    if (st.step()) current = std::stoi(st.text(0));
  }
  if (current > kLatestSchema)
    throw store::SetupError(
        "沙箱数据库版本 " + std::to_string(current) + " 比本程序新:请升级程序",
        "sandbox database schema " + std::to_string(current) + " is newer than this program: upgrade it");
  const bool fresh = current == 0;
  for (int v = current; v < kLatestSchema; ++v) db_.exec(kMigrations[v]);
  auto put = [&](const char* key, const std::string& value) {
    db_.prepare("INSERT INTO prov_meta(key, value) VALUES(?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(1, key)
        .bind(2, value)
        .run();
  };
  put(kMetaSchema, std::to_string(kLatestSchema));
  if (fresh) {
    put(kMetaVersion, "0");
    // POLICY.md: the default policy is the Dec 2008 one, read from the shipped file.
    const std::string file = assets_dir + "/" + kDefaultPolicyFile;
    std::string text;
    if (!read_file(file, text))
      throw store::SetupError("找不到默认补贴政策文件 " + file + "(可用 HUINONG_ASSETS_DIR 指定 assets 目录)",
                              "the default policy file " + file +
                                  " was not found (set HUINONG_ASSETS_DIR to the assets directory)");
    PolicyPhase phase;
    ImportMessage err;
    if (!parse_policy_file(text, phase, err))
      throw store::SetupError("默认补贴政策文件 " + file + " 有误:" + err.text(),
                              "the default policy file " + file + " is bad: " + err.text());
    auto st = db_.prepare("INSERT INTO prov_policies(id, source, version, imported_at) VALUES(?,?,?,?)");
    st.bind(1, phase.id).bind(2, text).bind(3, std::int64_t{1}).bind(4, local_now_iso()).run();
    put(kMetaVersion, "1");
    put(kMetaPolicy, phase.id);
  }
  tx.commit();
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

// --- administration ----------------------------------------------------------------------

sync::Credential Province::add_outlet(const std::string& code, const std::string& name,
                                      const std::string& county, const std::string& out_dir) {
  if (code.empty() || code.size() > 32 ||
      std::any_of(code.begin(), code.end(), [](char c) { return !is_uuid_char(c); }))
    throw InputError("网点编码 '" + code + "' 无效:1-32 位字母、数字或 -",
                     "outlet code '" + code + "' is invalid: 1-32 letters, digits or -");
  if (trim(name).empty() || !is_valid_utf8(name))
    throw InputError("请给出网点名称(UTF-8)", "give the outlet's name (UTF-8)");
  if (county.size() != 6 || std::any_of(county.begin(), county.end(), [](char c) { return c < '0' || c > '9'; }))
    throw InputError("县级行政区划代码 '" + county + "' 无效:应为 6 位数字,如 341322",
                     "county code '" + county + "' is invalid: it has 6 digits, e.g. 341322");
  Transaction tx(db_);
  if (find_outlet(code))
    throw InputError("网点 " + code + " 已经登记", "outlet " + code + " is already registered");
  sync::Credential c;
  try {
    c = sync::write_credential(out_dir, code, name, county);
  } catch (const store::SetupError& e) {
    throw InputError(e.zh(), e.en());
  }
  db_.prepare("INSERT INTO prov_outlets(code, name, county, key_hex, created_at) VALUES(?,?,?,?,?)")
      .bind(1, code)
      .bind(2, name)
      .bind(3, county)
      .bind(4, store::to_hex(c.key))
      .bind(5, local_now_iso())
      .run();
  tx.commit();
  return c;
}

int Province::import_catalog(const std::string& csv_text) {
  std::vector<CatalogModel> models;
  ImportMessage err;
  if (!parse_catalog_csv(csv_text, models, err))  // POLICY R1: all rows or none
    throw import_error(err, "中标产品目录", "the catalog");
  Transaction tx(db_);
  const std::int64_t next = version() + 1;
  bool changed = false;
  auto find = db_.prepare(
      "SELECT category, brand, name, spec, max_price_fen, valid_from, valid_to FROM prov_catalog "
      "WHERE model_code = ?");
  auto put = db_.prepare(
      "INSERT INTO prov_catalog(model_code, category, brand, name, spec, max_price_fen, valid_from, "
      "valid_to, version) VALUES(?,?,?,?,?,?,?,?,?) ON CONFLICT(model_code) DO UPDATE SET "
      "category = excluded.category, brand = excluded.brand, name = excluded.name, "
      "spec = excluded.spec, max_price_fen = excluded.max_price_fen, "
      "valid_from = excluded.valid_from, valid_to = excluded.valid_to, version = excluded.version");
  for (const auto& m : models) {
    const std::string cat(category_code(m.category));
    const std::optional<std::string> to = m.valid_to ? std::optional(m.valid_to->iso()) : std::nullopt;
    find.bind(1, m.model_code);
    const bool same = find.step() && find.text(0) == cat && find.text(1) == m.brand &&
                      find.text(2) == m.name && find.text(3) == m.spec &&
                      find.int64(4) == m.max_price && find.text(5) == m.valid_from.iso() &&
                      find.optional_text(6) == to;
    find.reset();
    if (same) continue;  // unchanged rows keep their version: updates carry changes only
    put.bind(1, m.model_code).bind(2, cat).bind(3, m.brand).bind(4, m.name).bind(5, m.spec);
    put.bind(6, m.max_price).bind(7, m.valid_from.iso()).bind(8, to).bind(9, next);
    put.run();
    put.reset();
    changed = true;
  }
  if (changed) bump_version();
  tx.commit();
  return static_cast<int>(models.size());
}

void Province::put_policy(const PolicyPhase& phase, const std::string& source) {
  auto find = db_.prepare("SELECT source FROM prov_policies WHERE id = ?");
  find.bind(1, phase.id);
  if (find.step() && find.text(0) == source) return;
  find.reset();
  const std::int64_t v = bump_version();
  db_.prepare("INSERT INTO prov_policies(id, source, version, imported_at) VALUES(?,?,?,?) "
              "ON CONFLICT(id) DO UPDATE SET source = excluded.source, version = excluded.version, "
              "imported_at = excluded.imported_at")
      .bind(1, phase.id)
      .bind(2, source)
      .bind(3, v)
      .bind(4, local_now_iso())
      .run();
}

std::string Province::use_policy(const std::string& ini_text) {
  PolicyPhase phase;
  ImportMessage err;
  if (!parse_policy_file(ini_text, phase, err)) throw import_error(err, "补贴政策文件", "the policy file");
  Transaction tx(db_);
  put_policy(phase, ini_text);
  if (active_policy_id() != phase.id) {
    {
      Use st(st_->meta_put);
      st->bind(1, kMetaPolicy).bind(2, phase.id).run();
    }
    // The terminals' caches and ours key on the version: a switch is a change too, and the
    // phase switched to is sent again with the next updates.
    const std::int64_t v = bump_version();
    db_.prepare("UPDATE prov_policies SET version = ? WHERE id = ?").bind(1, v).bind(2, phase.id).run();
  }
  tx.commit();
  return phase.id;
}

int Province::issue_cards(const std::string& csv_text, const std::string& outlet_code) {
  if (!find_outlet(outlet_code))
    throw InputError("没有网点 " + outlet_code + ":请先 outlet add",
                     "there is no outlet " + outlet_code + ": run outlet add first");
  refresh();
  std::vector<CardReceiptRow> rows;
  ImportMessage err;
  if (!parse_card_batch_csv(csv_text, catalog_, rows, err))
    throw import_error(err, "标识卡文件", "the card file");
  Transaction tx(db_);
  const std::int64_t v = bump_version();
  const std::string now = local_now_iso();
  auto serial = db_.prepare("SELECT card_no FROM prov_cards WHERE model_code = ? AND serial_no = ?");
  auto ins = db_.prepare(
      "INSERT INTO prov_cards(card_no, serial_no, model_code, outlet_code, version, issued_at) "
      "VALUES(?,?,?,?,?,?)");
  for (const auto& r : rows) {
    {
      Use card(st_->card_get);
      card->bind(1, r.card_no);
      // POLICY S1: a card number is unique province-wide.
      if (card->step())
        throw InputError("第 " + std::to_string(r.line) + " 行:标识卡 " + r.card_no + " 已发给网点 " +
                             card->text(2) + "。文件未导入任何内容",
                         "row " + std::to_string(r.line) + ": card " + r.card_no +
                             " was already issued to outlet " + card->text(2) +
                             ". Nothing from the file was imported");
    }
    serial.bind(1, r.model_code).bind(2, r.serial_no);
    if (serial.step())
      throw InputError("第 " + std::to_string(r.line) + " 行:型号 " + r.model_code + " 的序列号 " +
                           r.serial_no + " 已在标识卡 " + serial.text(0) + " 上。文件未导入任何内容",
                       "row " + std::to_string(r.line) + ": serial " + r.serial_no + " of model " +
                           r.model_code + " is already on card " + serial.text(0) +
                           ". Nothing from the file was imported");
    serial.reset();
    ins.bind(1, r.card_no).bind(2, r.serial_no).bind(3, r.model_code).bind(4, outlet_code);
    ins.bind(5, v).bind(6, now);
    ins.run();
    ins.reset();
  }
  tx.commit();
  return static_cast<int>(rows.size());
}

void Province::set_claim(const std::string& card_no, const std::string& state) {
  if (!is_claim_state(state))
    throw InputError("补贴状态 '" + state + "' 无效:应为 claimed、approved、paid、refunded 或 rejected",
                     "subsidy state '" + state + "' is invalid: use claimed, approved, paid, refunded or rejected");
  Transaction tx(db_);
  {
    Use sold(st_->sold_card);
    sold->bind(1, card_no);
    if (!sold->step())
      throw InputError("省平台没有标识卡 " + card_no + " 的销售记录,无法申报补贴",
                       "the province holds no sale of card " + card_no + ": there is nothing to claim");
  }
  std::int64_t held = 0;
  {
    Use cur(st_->claim_get);
    cur->bind(1, card_no);
    if (cur->step()) held = cur->int64(1);
  }
  Use put(st_->claim_put);
  put->bind(1, card_no).bind(2, state).bind(3, held).bind(4, local_now_iso()).run();
  tx.commit();
}

nlohmann::json Province::report() {
  nlohmann::json outlets = nlohmann::json::array();
  auto list = db_.prepare("SELECT code, name, county FROM prov_outlets ORDER BY code");
  // One row per UUID: an accepted sale is counted once however often it was re-sent, and so
  // is a rejected one (it is answered again, but it is still one rejected sale).
  auto answered = db_.prepare(
      "SELECT 'sale', status, code, COUNT(*) FROM prov_sales WHERE outlet_code = ?1 GROUP BY status, code "
      "UNION ALL "
      "SELECT 'event', status, code, COUNT(*) FROM prov_events WHERE outlet_code = ?1 GROUP BY status, code");
  auto duplicates = db_.prepare("SELECT kind, count FROM prov_duplicates WHERE outlet_code = ?");
  while (list.step()) {
    const std::string code = list.text(0);
    nlohmann::json sales = {{"accepted", 0}, {"duplicates", 0}, {"rejected", nlohmann::json::object()},
                            {"rejected_total", 0}};
    nlohmann::json events = sales;
    answered.bind(1, code);
    while (answered.step()) {
      auto& dst = answered.text(0) == "sale" ? sales : events;
      const std::int64_t n = answered.int64(3);
      if (answered.text(1) == "accepted") {
        dst["accepted"] = dst["accepted"].get<std::int64_t>() + n;
      } else {
        dst["rejected"][answered.text(2)] = n;
        dst["rejected_total"] = dst["rejected_total"].get<std::int64_t>() + n;
      }
    }
    answered.reset();
    duplicates.bind(1, code);
    while (duplicates.step())
      (duplicates.text(0) == "sale" ? sales : events)["duplicates"] = duplicates.int64(1);
    duplicates.reset();
    nlohmann::json o = {{"code", code}, {"name", list.text(1)}, {"county", list.text(2)}};
    o.update(sales);
    o["events"] = events;
    outlets.push_back(std::move(o));
  }
  return {{"outlets", outlets}, {"version", version()}, {"policy", active_policy_id()}};
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

void Province::count_duplicate(const std::string& outlet_code, const char* kind, const UploadResult& r,
                               const std::string& now_iso) {
  if (r.status != "duplicate") return;
  Use st(st_->duplicate_count);
  st->bind(1, outlet_code).bind(2, kind).bind(3, now_iso).run();
}

std::vector<UploadResult> Province::upload_sales(const Outlet& outlet, const std::vector<WireSale>& sales) {
  refresh();
  const std::string now = local_now_iso();
  std::vector<UploadResult> out;
  out.reserve(sales.size());
  // One batch, one transaction: the sales are checked in order, each against the province as
  // the ones before it left it (a second TV for the same household in the batch is refused).
  Transaction tx(db_);
  for (const auto& s : sales) {
    out.push_back(upload_one(outlet, s, now));
    count_duplicate(outlet.code, "sale", out.back(), now);
  }
  tx.commit();
  return out;
}

UploadResult Province::upload_one(const Outlet& outlet, const WireSale& s, const std::string& now) {
  {
    // The UUID is the idempotency key forever: accepted once, a duplicate ever after; a
    // rejected one is rejected again with the same code.
    Use find(st_->sale_find);
    find->bind(1, s.uuid);
    if (find->step()) {
      // Never "duplicate" for another outlet's sale: that outlet would take its own sale,
      // which the province does not hold, as delivered.
      if (find->text(4) != outlet.code) return uuid_conflict(s.uuid);
      if (find->text(0) == "accepted") return UploadResult{s.uuid, "duplicate", "", "", ""};
      return rejected(s.uuid, find->text(1), find->text(2), find->text(3));
    }
  }

  Cart cart;
  cart.buyer = s.buyer;
  cart.items = s.items;
  SaleContext ctx;
  ctx.catalog = &catalog_;
  ctx.policy = &policy_;
  ctx.outlet = outlet;  // its county from the outlets table (POLICY R7)
  ctx.today = *parse_iso_date(s.sale_date);  // checked as of the sale's own date
  if (!s.buyer.household.empty()) ctx.history = history(s.buyer.household, nullptr);
  for (const auto& item : s.items)
    ctx.cards.push_back(is_valid_card_no(item.card_no) ? card_for(item.card_no, outlet.code)
                                                       : std::nullopt);
  // The same engine as the terminal: POLICY R1-R8, S1-S3.
  const SaleCheck check = check_sale(ctx, cart);

  UploadResult r{s.uuid, "accepted", "", "", ""};
  std::string warnings;
  for (const auto& f : check.findings) {
    if (f.severity == Severity::Refuse) {
      if (r.code.empty()) r = rejected(s.uuid, std::string(finding_code_name(f.code)), f.message_zh, f.message_en);
    } else {
      // Warnings (COUNTY_MISMATCH by default, POLICY R7) do not reject.
      warnings += (warnings.empty() ? "" : ",") + std::string(finding_code_name(f.code));
    }
  }
  const bool ok = r.status == "accepted";

  Use ins(st_->sale_insert);
  ins->bind(1, s.uuid).bind(2, outlet.code).bind(3, s.invoice_no).bind(4, s.sold_at);
  ins->bind(5, s.sale_date).bind(6, s.policy_phase).bind(7, s.buyer.name).bind(8, s.buyer.id_text);
  ins->bind(9, s.buyer.household).bind(10, hukou_code(s.buyer.hukou)).bind(11, s.buyer.county);
  // What the province pays is what its own engine computed (POLICY S2).
  ins->bind(12, ok ? check.total : s.total).bind(13, ok ? check.subsidy : s.subsidy);
  ins->bind(14, ok ? "accepted" : "rejected").bind(15, r.code).bind(16, r.message_zh);
  ins->bind(17, r.message_en).bind(18, warnings).bind(19, now);
  ins->run();
  if (!ok) return r;  // a rejected sale is not stored as sold

  const std::int64_t sale_id = db_.last_insert_rowid();
  for (std::size_t i = 0; i < check.lines.size(); ++i) {
    const PricedLine& line = check.lines[i];
    {
      Use item(st_->item_insert);
      item->bind(1, sale_id).bind(2, static_cast<std::int64_t>(i + 1)).bind(3, line.card_no);
      item->bind(4, line.serial_no).bind(5, line.model->model_code);
      item->bind(6, category_code(line.model->category)).bind(7, line.price).bind(8, line.subsidy);
      item->run();
    }
    Use sold(st_->card_set_state);  // POLICY S1: sold once, province-wide
    sold->bind(1, "sold").bind(2, line.card_no).run();
  }
  return r;
}

std::vector<UploadResult> Province::upload_events(const Outlet& outlet, const std::vector<WireEvent>& events) {
  const std::string now = local_now_iso();
  std::vector<UploadResult> out;
  out.reserve(events.size());
  Transaction tx(db_);
  for (const auto& e : events) {
    out.push_back(event_one(outlet, e, now));
    count_duplicate(outlet.code, "event", out.back(), now);
  }
  tx.commit();
  return out;
}

std::vector<UploadResult> Province::upload_closings(const Outlet& outlet, const nlohmann::json& closings) {
  const std::string now = local_now_iso();
  std::vector<UploadResult> out;
  Transaction tx(db_);
  for (const auto& c : closings) {
    const std::string uuid = c.value("uuid", ""), body = c.value("body", ""), sig = c.value("signature", ""),
                      key = c.value("public_key", "");
    auto seen = db_.prepare("SELECT body FROM prov_closings WHERE uuid = ? AND outlet_code = ?");
    seen.bind(1, uuid).bind(2, outlet.code);
    if (seen.step()) {
      out.push_back(seen.text(0) == body ? UploadResult{uuid, "duplicate", "", "", ""}
                                         : rejected(uuid, "CLOSING_CHANGED", "同一日结的内容与先前上传的不同",
                                                    "this closing differs from the copy uploaded before"));
      continue;
    }
    auto known = db_.prepare("SELECT public_key FROM prov_outlet_keys WHERE outlet_code = ?");
    known.bind(1, outlet.code);
    const std::string registered = known.step() ? known.text(0) : "";
    if (!registered.empty() && registered != key) {
      out.push_back(rejected(uuid, "KEY_CHANGED", "日结的签名密钥与本网点登记的不同",
                             "the closing is signed with a key other than the one registered for this outlet"));
      continue;
    }
    if (!hn::store::verify_signature(key, body, sig)) {
      out.push_back(rejected(uuid, "CLOSING_SIGNATURE", "日结签名不符", "the closing does not match its signature"));
      continue;
    }
    if (registered.empty())
      db_.prepare("INSERT INTO prov_outlet_keys(outlet_code, public_key, since) VALUES(?,?,?)")
          .bind(1, outlet.code)
          .bind(2, key)
          .bind(3, now)
          .run();
    const auto parsed = nlohmann::json::parse(body, nullptr, false);
    db_.prepare("INSERT INTO prov_closings(uuid, outlet_code, date, body, signature, public_key, received_at) "
                "VALUES(?,?,?,?,?,?,?)")
        .bind(1, uuid)
        .bind(2, outlet.code)
        .bind(3, parsed.is_object() ? parsed.value("date", "") : "")
        .bind(4, body)
        .bind(5, sig)
        .bind(6, key)
        .bind(7, now)
        .run();
    out.push_back(UploadResult{uuid, "accepted", "", "", ""});
  }
  tx.commit();
  return out;
}

UploadResult Province::event_one(const Outlet& outlet, const WireEvent& e, const std::string& now) {
  {
    Use find(st_->event_find);
    find->bind(1, e.uuid);
    if (find->step()) {
      if (find->text(4) != outlet.code) return uuid_conflict(e.uuid);
      if (find->text(0) == "accepted") return UploadResult{e.uuid, "duplicate", "", "", ""};
      return rejected(e.uuid, find->text(1), find->text(2), find->text(3));
    }
  }
  UploadResult r{e.uuid, "accepted", "", "", ""};
  std::int64_t sale_id = 0, item_id = 0, returned = 0;
  {
    Use sale(st_->event_sale);
    sale->bind(1, e.sale_uuid).bind(2, outlet.code);
    if (sale->step()) sale_id = sale->int64(0);
  }
  if (sale_id) {
    Use item(st_->event_item);
    item->bind(1, sale_id).bind(2, e.card);
    if (item->step()) {
      item_id = item->int64(0);
      returned = item->int64(1);
    }
  }
  std::string state = "not_claimed";
  std::int64_t held = 0;
  if (item_id) {
    Use claim(st_->claim_get);
    claim->bind(1, e.card);
    if (claim->step()) {
      state = claim->text(0);
      held = claim->int64(1);
    }
  }
  if (!sale_id) {
    r = rejected(e.uuid, "SALE_UNKNOWN", "省平台没有本网点的已接收销售 " + e.sale_uuid,
                 "the province holds no accepted sale " + e.sale_uuid + " of this outlet");
  } else if (e.kind == "exchange") {
    r = exchange_one(outlet, e, sale_id);
  } else if (!item_id) {
    r = rejected(e.uuid, "CARD_NOT_ON_SALE", "标识卡 " + e.card + " 不在销售 " + e.sale_uuid + " 上",
                 "card " + e.card + " is not on sale " + e.sale_uuid);
  } else if (returned) {
    r = rejected(e.uuid, "ALREADY_RETURNED", "标识卡 " + e.card + " 已经退货",
                 "card " + e.card + " has already been returned");
  } else if (e.kind == "return") {
    // POLICY "Returns: subsidy first, goods second".
    if (state == "approved") {
      r = rejected(e.uuid, "SUBSIDY_APPROVED",
                   "标识卡 " + e.card + " 的补贴已审核未发放:请先提交预退货,发放后再退货",
                   "the subsidy of card " + e.card +
                       " is approved and not yet paid: file a pre-return first, return after the payment run");
    } else if (state == "paid") {
      r = rejected(e.uuid, "SUBSIDY_PAID",
                   "标识卡 " + e.card + " 的补贴已发放:须由购买人到乡镇财政所退还补贴后再退货",
                   "the subsidy of card " + e.card +
                       " was paid: the buyer repays it at the township finance office before the return");
    } else {
      // not_claimed, claimed, rejected or refunded: the goods come back, the card is destroyed
      // and the household's quota returns (POLICY R6).
      {
        Use ret(st_->item_return);
        ret->bind(1, item_id).run();
      }
      {
        Use card(st_->card_set_state);
        card->bind(1, "returned").bind(2, e.card).run();
      }
      if (state == "claimed") {  // a registered claim is cancelled with the return
        Use del(st_->claim_delete);
        del->bind(1, e.card).run();
      }
    }
  } else if (e.kind == "pre_return") {
    // 预退货: only for an approved, unpaid subsidy; the province holds the payment.
    if (state != "approved") {
      r = rejected(e.uuid, "PRE_RETURN_NOT_APPLICABLE",
                   "标识卡 " + e.card + " 的补贴状态为 " + state + ",不需预退货",
                   "the subsidy of card " + e.card + " is " + state + ": no pre-return applies");
    } else if (!held) {
      Use put(st_->claim_put);
      put->bind(1, e.card).bind(2, state).bind(3, std::int64_t{1}).bind(4, now).run();
    }
  } else if (e.kind == "return_request") {
    // 退货申请: for a paid subsidy; the buyer repays at the township finance office, which
    // confirms it (claim --state refunded), and then the outlet completes the return.
    if (state != "paid") {
      r = rejected(e.uuid, "RETURN_REQUEST_NOT_APPLICABLE",
                   "标识卡 " + e.card + " 的补贴状态为 " + state + ",不需退货申请",
                   "the subsidy of card " + e.card + " is " + state + ": no return request applies");
    }
  } else {  // cancel_claim
    if (state != "claimed") {
      r = rejected(e.uuid, "CLAIM_NOT_CANCELLABLE",
                   "标识卡 " + e.card + " 的补贴状态为 " + state + ",无可撤销的申报",
                   "the subsidy of card " + e.card + " is " + state + ": there is no claim to cancel");
    } else {
      Use del(st_->claim_delete);
      del->bind(1, e.card).run();
    }
  }
  Use ins(st_->event_insert);
  ins->bind(1, e.uuid).bind(2, outlet.code).bind(3, e.kind).bind(4, e.sale_uuid).bind(5, e.card);
  ins->bind(6, e.at).bind(7, e.reason).bind(8, r.status == "accepted" ? "accepted" : "rejected");
  ins->bind(9, r.code).bind(10, r.message_zh).bind(11, r.message_en).bind(12, now);
  ins->bind(13, e.new_card).bind(14, e.new_serial).run();
  return r;
}

// 换货: a faulty product is swapped for another of the same model. The sale, its buyer, price
// and subsidy stay; the item carries the new card and serial from now on, the old card is taken
// back (POLICY S1: it can never be sold again), and a claim follows the item to the new card.
UploadResult Province::exchange_one(const Outlet& outlet, const WireEvent& e, std::int64_t sale_id) {
  {
    Use item(st_->event_item);
    item->bind(1, sale_id).bind(2, e.new_card);
    // The sale went up after the exchange and already carries the new card: only the old card,
    // which the province never saw sold, is taken back (POLICY S1).
    if (item->step()) {
      db_.prepare("UPDATE prov_cards SET state = 'returned' WHERE card_no = ? AND outlet_code = ? AND state = 'issued'")
          .bind(1, e.card)
          .bind(2, outlet.code)
          .run();
      return UploadResult{e.uuid, "accepted", "", "", ""};
    }
  }
  ExchangeFacts facts;
  facts.old_card = e.card;
  facts.new_serial = e.new_serial;
  facts.new_card.card_no = e.new_card;
  std::int64_t item_id = 0;
  {
    auto st = db_.prepare("SELECT id, model_code, returned FROM prov_sale_items WHERE sale_id = ? AND card_no = ?");
    st.bind(1, sale_id).bind(2, e.card);
    if (st.step()) {
      item_id = st.int64(0);
      facts.old_model = st.text(1);
      facts.item_returned = st.int64(2) != 0;
    }
  }
  if (!item_id)
    return rejected(e.uuid, "CARD_NOT_ON_SALE", "标识卡 " + e.card + " 不在销售 " + e.sale_uuid + " 上",
                    "card " + e.card + " is not on sale " + e.sale_uuid);
  {
    Use card(st_->card_get);
    card->bind(1, e.new_card);
    if (card->step()) {
      facts.new_card.serial_no = card->text(0);
      facts.new_card.model_code = card->text(1);
      const std::string state = card->text(3);
      facts.new_card.status = card->text(2) != outlet.code ? CardStatus::NotReceived  // POLICY R8
                              : state == "sold"            ? CardStatus::Sold
                              : state == "returned"        ? CardStatus::Returned
                                                           : CardStatus::InStock;
    }
  }
  // The same rule as the terminal's (pos/core/exchange).
  if (const auto no = check_exchange(facts)) return rejected(e.uuid, no->code, no->message_zh, no->message_en);
  db_.prepare("UPDATE prov_sale_items SET card_no = ?, serial_no = ? WHERE id = ?")
      .bind(1, e.new_card)
      .bind(2, e.new_serial)
      .bind(3, item_id)
      .run();
  {
    Use old_card(st_->card_set_state);  // POLICY S1: taken back for good
    old_card->bind(1, "returned").bind(2, e.card).run();
  }
  {
    Use new_card(st_->card_set_state);
    new_card->bind(1, "sold").bind(2, e.new_card).run();
  }
  // The claim follows the product: same buyer, same subsidy.
  db_.prepare("UPDATE prov_claims SET card_no = ? WHERE card_no = ?").bind(1, e.new_card).bind(2, e.card).run();
  return UploadResult{e.uuid, "accepted", "", "", ""};
}

std::map<Category, int> Province::household_held(const std::string& household,
                                                 const std::string& outlet_code) {
  std::map<Category, int> out;
  for (Category c : kAllCategories) out[c] = 0;
  // "at every outlet except the asking one (the terminal knows its own)".
  for (const auto& [cat, n] : history(household, &outlet_code).held) out[cat] = n;
  return out;
}

std::optional<nlohmann::json> Province::card_state(const std::string& card_no) {
  std::string sale_uuid;
  {
    Use sold(st_->sold_card);
    sold->bind(1, card_no);
    if (!sold->step()) return std::nullopt;
    sale_uuid = sold->text(0);
  }
  std::string state = "not_claimed";
  {
    Use claim(st_->claim_get);
    claim->bind(1, card_no);
    if (claim->step()) state = claim->text(0);
  }
  return nlohmann::json{{"card", card_no}, {"sale_uuid", sale_uuid}, {"state", state}};
}

nlohmann::json Province::updates(const std::string& outlet_code, std::int64_t since) {
  // Read in one transaction so `version` and the rows agree.
  db_.exec("BEGIN");
  try {
    const std::int64_t v = version();
    nlohmann::json catalog = nlohmann::json::array(), policies = nlohmann::json::array(),
                   cards = nlohmann::json::array();
    auto cs = db_.prepare(
        "SELECT model_code, category, brand, name, spec, max_price_fen, valid_from, valid_to "
        "FROM prov_catalog WHERE version > ? ORDER BY model_code");
    cs.bind(1, since);
    while (cs.step()) {
      nlohmann::json m = {{"model_code", cs.text(0)}, {"category", cs.text(1)},
                          {"brand", cs.text(2)},      {"name", cs.text(3)},
                          {"spec", cs.text(4)},       {"max_price_fen", cs.int64(5)},
                          {"valid_from", cs.text(6)}, {"valid_to", nullptr}};
      if (const auto to = cs.optional_text(7)) m["valid_to"] = *to;
      catalog.push_back(std::move(m));
    }
    auto ps = db_.prepare("SELECT id, source FROM prov_policies WHERE version > ? ORDER BY id");
    ps.bind(1, since);
    while (ps.step()) policies.push_back({{"id", ps.text(0)}, {"source", ps.text(1)}});
    auto ks = db_.prepare(
        "SELECT card_no, serial_no, model_code FROM prov_cards WHERE outlet_code = ? AND version > ? "
        "ORDER BY card_no");
    ks.bind(1, outlet_code).bind(2, since);
    while (ks.step())
      cards.push_back({{"card_no", ks.text(0)}, {"serial_no", ks.text(1)}, {"model_code", ks.text(2)}});
    db_.exec("COMMIT");
    return {{"version", v}, {"catalog", catalog}, {"policies", policies}, {"cards", cards}};
  } catch (...) {
    db_.exec("ROLLBACK");
    throw;
  }
}

}  // namespace hn::sandbox
