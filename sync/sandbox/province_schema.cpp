// The sandbox database's own schema (prov_* tables) and its migrations.
#include "platform/files.hpp"
#include "province_internal.hpp"

namespace hn::sandbox {

using platform::Database;
using platform::Transaction;
using namespace detail;

namespace {

// POLICY.md "Policy data across phases": the default policy is the Dec 2008 one.
constexpr const char* kDefaultPolicyFile = "policy/2008-12.ini";

// The sandbox's own numbered migrations, in tables of their own (prov_*) and counted in
// prov_meta: files made before the sandbox had a schema of its own also hold the terminal's
// tables and its user_version, which are left as they are. Append, never edit one that has
// shipped.
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

void migrate(Database& db, const std::string& assets_dir) {
  Transaction tx(db);
  db.exec("CREATE TABLE IF NOT EXISTS prov_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
  int current = 0;
  {
    auto st = db.prepare("SELECT value FROM prov_meta WHERE key = ?");
    st.bind(1, kMetaSchema);
    if (st.step()) current = std::stoi(st.text(0));
  }
  if (current > kLatestSchema)
    throw platform::SetupError(
        "沙箱数据库版本 " + std::to_string(current) + " 比本程序新:请升级程序",
        "sandbox database schema " + std::to_string(current) + " is newer than this program: upgrade it");
  const bool fresh = current == 0;
  for (int v = current; v < kLatestSchema; ++v) db.exec(kMigrations[v]);
  auto put = [&](const char* key, const std::string& value) {
    db.prepare("INSERT INTO prov_meta(key, value) VALUES(?, ?) "
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
    if (files::read_file(file, files::Kind::PolicyIni, text))
      throw platform::SetupError("找不到默认补贴政策文件 " + file + "(可用 HUINONG_ASSETS_DIR 指定 assets 目录)",
                              "the default policy file " + file +
                                  " was not found (set HUINONG_ASSETS_DIR to the assets directory)");
    PolicyPhase phase;
    ImportMessage err;
    if (!parse_policy_file(text, phase, err))
      throw platform::SetupError("默认补贴政策文件 " + file + " 有误:" + err.text(),
                              "the default policy file " + file + " is bad: " + err.text());
    auto st = db.prepare("INSERT INTO prov_policies(id, source, version, imported_at) VALUES(?,?,?,?)");
    st.bind(1, phase.id).bind(2, text).bind(3, std::int64_t{1}).bind(4, local_now_iso()).run();
    put(kMetaVersion, "1");
    put(kMetaPolicy, phase.id);
  }
  tx.commit();
}

}  // namespace

platform::Migrations detail::province_migrations(const std::string& assets_dir) {
  platform::Migrations m;
  m.schema = "sandbox";
  m.migrate = [assets_dir](Database& db) { migrate(db, assets_dir); };
  return m;
}

}  // namespace hn::sandbox
