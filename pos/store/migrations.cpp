#include "store/migrations.hpp"

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "store/platform_names.hpp"

namespace hn::store {

namespace {
// Numbered migrations: append, never edit one that has shipped.
constexpr const char* kMigrations[] = {
    // 1: the terminal, its users, the catalog and cards, sales, returns, outbox, journal.
    R"SQL(
CREATE TABLE settings(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE users(
  id             INTEGER PRIMARY KEY,
  login          TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('clerk','manager','auditor')),
  pin_salt       BLOB NOT NULL,
  pin_hash       BLOB NOT NULL,
  pin_iterations INTEGER NOT NULL,
  failed_pins    INTEGER NOT NULL DEFAULT 0,
  locked         INTEGER NOT NULL DEFAULT 0,
  active         INTEGER NOT NULL DEFAULT 1,
  created_at     TEXT NOT NULL
);

CREATE TABLE policy_phases(
  id          TEXT PRIMARY KEY,
  source      TEXT NOT NULL,
  imported_at TEXT NOT NULL
);

CREATE TABLE catalog_models(
  model_code TEXT PRIMARY KEY,
  category   TEXT NOT NULL,
  brand      TEXT NOT NULL,
  name       TEXT NOT NULL,
  spec       TEXT NOT NULL,
  max_price  INTEGER NOT NULL CHECK (max_price > 0),
  valid_from TEXT NOT NULL,
  valid_to   TEXT,
  updated_at TEXT NOT NULL
);

CREATE TABLE goods_receipts(
  id          INTEGER PRIMARY KEY,
  received_at TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  source      TEXT NOT NULL,
  card_count  INTEGER NOT NULL
);

CREATE TABLE label_cards(
  card_no     TEXT PRIMARY KEY,
  serial_no   TEXT NOT NULL,
  model_code  TEXT NOT NULL REFERENCES catalog_models(model_code),
  outlet_code TEXT NOT NULL,
  receipt_id  INTEGER NOT NULL REFERENCES goods_receipts(id),
  state       TEXT NOT NULL DEFAULT 'in_stock' CHECK (state IN ('in_stock','sold','returned')),
  UNIQUE (model_code, serial_no)
);

CREATE TABLE sales(
  id              INTEGER PRIMARY KEY,
  uuid            TEXT NOT NULL UNIQUE,
  invoice_no      INTEGER NOT NULL UNIQUE CHECK (invoice_no > 0),
  sold_at         TEXT NOT NULL,
  sale_date       TEXT NOT NULL,
  user_id         INTEGER NOT NULL REFERENCES users(id),
  buyer_name      TEXT NOT NULL,
  buyer_id_enc    BLOB NOT NULL,
  buyer_id_hash   TEXT NOT NULL,
  buyer_id_masked TEXT NOT NULL,
  household_enc   BLOB NOT NULL,
  household_hash  TEXT NOT NULL,
  hukou           TEXT NOT NULL,
  buyer_county    TEXT NOT NULL,
  policy_phase    TEXT NOT NULL,
  total           INTEGER NOT NULL,
  subsidy         INTEGER NOT NULL,
  warnings        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sales_by_household ON sales(household_hash);
CREATE INDEX sales_by_date ON sales(sale_date);

CREATE TABLE sale_items(
  id         INTEGER PRIMARY KEY,
  sale_id    INTEGER NOT NULL REFERENCES sales(id),
  line_no    INTEGER NOT NULL,
  card_no    TEXT NOT NULL UNIQUE REFERENCES label_cards(card_no),
  serial_no  TEXT NOT NULL,
  model_code TEXT NOT NULL,
  category   TEXT NOT NULL,
  brand      TEXT NOT NULL,
  name       TEXT NOT NULL,
  spec       TEXT NOT NULL,
  price      INTEGER NOT NULL CHECK (price > 0),
  subsidy    INTEGER NOT NULL CHECK (subsidy >= 0),
  state      TEXT NOT NULL DEFAULT 'sold' CHECK (state IN ('sold','returned')),
  UNIQUE (sale_id, line_no)
);

CREATE TABLE returns(
  id          INTEGER PRIMARY KEY,
  sale_id     INTEGER NOT NULL REFERENCES sales(id),
  item_id     INTEGER NOT NULL UNIQUE REFERENCES sale_items(id),
  card_no     TEXT NOT NULL,
  returned_at TEXT NOT NULL,
  return_date TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  approver_id INTEGER NOT NULL REFERENCES users(id),
  reason      TEXT NOT NULL,
  price       INTEGER NOT NULL,
  subsidy     INTEGER NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('completed'))
);
CREATE INDEX returns_by_date ON returns(return_date);

-- What must go up to the provincial system, written in the same transaction as the event.
CREATE TABLE outbox(
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('sale','return')),
  ref_id     INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','accepted','rejected')),
  attempts   INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  UNIQUE (kind, ref_id)
);
CREATE INDEX outbox_by_state ON outbox(state);

-- Append-only, hash-chained record of every event that matters.
CREATE TABLE journal(
  seq        INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  user_login TEXT NOT NULL,
  kind       TEXT NOT NULL,
  body       TEXT NOT NULL,
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL
);
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
)SQL",
    // 2: uploading to the province (sync issue): provisional sales, the province's answer per
    // outbox row, and the manager's tasks for what the province rejected.
    R"SQL(
ALTER TABLE sales ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN result_code TEXT;
ALTER TABLE outbox ADD COLUMN answered_at TEXT;
ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
CREATE TABLE tasks(
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,
  sale_id     INTEGER REFERENCES sales(id),
  code        TEXT NOT NULL,
  message_zh  TEXT NOT NULL,
  message_en  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  state       TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','resolved')),
  resolution  TEXT
);
CREATE INDEX tasks_by_state ON tasks(state);
)SQL",
    // How a manager settled a sale the province rejected (sync issue): kept with the sale for
    // good, like the sale itself.
    R"SQL(
ALTER TABLE tasks ADD COLUMN resolved_by INTEGER REFERENCES users(id);
ALTER TABLE tasks ADD COLUMN resolved_at TEXT;
CREATE TABLE sale_resolutions(
  sale_id     INTEGER PRIMARY KEY REFERENCES sales(id),
  task_id     INTEGER NOT NULL UNIQUE REFERENCES tasks(id),
  action      TEXT NOT NULL CHECK (action IN ('unsubsidised','cancelled')),
  user_id     INTEGER NOT NULL REFERENCES users(id),
  reason      TEXT NOT NULL,
  resolved_at TEXT NOT NULL
);
CREATE TRIGGER sale_resolutions_no_update BEFORE UPDATE ON sale_resolutions
BEGIN SELECT RAISE(ABORT, 'a resolution is permanent'); END;
CREATE TRIGGER sale_resolutions_no_delete BEFORE DELETE ON sale_resolutions
BEGIN SELECT RAISE(ABORT, 'a resolution is permanent'); END;
)SQL",
    // 4: returns that wait for the province (returns issue): requests with their state, the
    // events filed for them (cancel_claim, pre_return, return_request), the paper kept with
    // them, and the retention rule: nothing of a return goes before `retention.years`.
    R"SQL(
CREATE TABLE outbox_v4(
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('sale','return','event','closing')),
  ref_id          INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','accepted','rejected','withdrawn')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  result_code     TEXT,
  answered_at     TEXT,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  UNIQUE (kind, ref_id)
);
INSERT INTO outbox_v4(id, kind, ref_id, created_at, state, attempts, last_error, result_code, answered_at,
                      next_attempt_at)
  SELECT id, kind, ref_id, created_at, state, attempts, last_error, result_code, answered_at, next_attempt_at
  FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v4 RENAME TO outbox;
CREATE INDEX outbox_by_state ON outbox(state);

CREATE TABLE return_requests(
  id                   INTEGER PRIMARY KEY,
  sale_id              INTEGER NOT NULL REFERENCES sales(id),
  item_id              INTEGER NOT NULL REFERENCES sale_items(id),
  card_no              TEXT NOT NULL,
  opened_at            TEXT NOT NULL,
  user_id              INTEGER NOT NULL REFERENCES users(id),
  approver_id          INTEGER NOT NULL REFERENCES users(id),
  reason               TEXT NOT NULL,
  province_state       TEXT NOT NULL,
  waits_for            TEXT,
  pre_return_filed     INTEGER NOT NULL DEFAULT 0,
  return_request_filed INTEGER NOT NULL DEFAULT 0,
  state                TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','completed','cancelled')),
  updated_at           TEXT NOT NULL,
  closed_at            TEXT,
  return_id            INTEGER REFERENCES returns(id)
);
CREATE UNIQUE INDEX return_requests_one_open ON return_requests(item_id) WHERE state = 'open';
CREATE INDEX return_requests_by_state ON return_requests(state);

CREATE TABLE return_events(
  id         INTEGER PRIMARY KEY,
  uuid       TEXT NOT NULL UNIQUE,
  request_id INTEGER NOT NULL REFERENCES return_requests(id),
  kind       TEXT NOT NULL CHECK (kind IN ('cancel_claim','pre_return','return_request')),
  at         TEXT NOT NULL
);

-- The paper of a return, sealed like the buyer's ID (it carries it): refund form, credit
-- note, the voided invoice's copy.
CREATE TABLE return_documents(
  id         INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES return_requests(id),
  kind       TEXT NOT NULL CHECK (kind IN ('refund_form','credit_note','voided_invoice')),
  number     TEXT NOT NULL,
  body_enc   BLOB NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX return_documents_by_request ON return_documents(request_id);

INSERT OR IGNORE INTO settings(key, value) VALUES('retention.years', '3');
CREATE TRIGGER returns_kept BEFORE DELETE ON returns
WHEN OLD.return_date > date('now', '-' || (SELECT value FROM settings WHERE key = 'retention.years') || ' years')
BEGIN SELECT RAISE(ABORT, 'return records are kept for the retention period'); END;
CREATE TRIGGER return_requests_kept BEFORE DELETE ON return_requests
WHEN substr(OLD.opened_at, 1, 10) > date('now', '-' || (SELECT value FROM settings WHERE key = 'retention.years') || ' years')
BEGIN SELECT RAISE(ABORT, 'return records are kept for the retention period'); END;
CREATE TRIGGER return_documents_kept BEFORE DELETE ON return_documents
WHEN substr(OLD.created_at, 1, 10) > date('now', '-' || (SELECT value FROM settings WHERE key = 'retention.years') || ' years')
BEGIN SELECT RAISE(ABORT, 'return records are kept for the retention period'); END;
CREATE TRIGGER return_documents_unchanged BEFORE UPDATE ON return_documents
BEGIN SELECT RAISE(ABORT, 'the paper of a return is kept as printed'); END;
CREATE TRIGGER return_events_unchanged BEFORE UPDATE ON return_events
BEGIN SELECT RAISE(ABORT, 'a filed event is kept as filed'); END;
)SQL",
    // 5: the signed daily closings (audit issue); kept for good, never changed.
    R"SQL(
CREATE TABLE closings(
  id            INTEGER PRIMARY KEY,
  business_date TEXT NOT NULL UNIQUE,
  body          TEXT NOT NULL,
  signature     TEXT NOT NULL,
  closed_at     TEXT NOT NULL
);
CREATE TRIGGER closings_no_update BEFORE UPDATE ON closings
BEGIN SELECT RAISE(ABORT, 'a closing is kept as signed'); END;
CREATE TRIGGER closings_no_delete BEFORE DELETE ON closings
BEGIN SELECT RAISE(ABORT, 'a closing is kept as signed'); END;
)SQL",
    // 6: where each sale's journal entry is, for the invoice's QR code (audit issue).
    R"SQL(
ALTER TABLE sales ADD COLUMN journal_seq INTEGER;
)SQL",
    // 7: exchanges for the same model (换货, returns issue): the sale keeps its buyer, price and
    // subsidy; the item carries the new card and serial; the old card is taken back. Each
    // exchange is kept as made, with the invoice as it read before, for the retention period,
    // and goes up to the province through the outbox (kind 'exchange').
    R"SQL(
CREATE TABLE outbox_v7(
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('sale','return','event','closing','exchange')),
  ref_id          INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','accepted','rejected','withdrawn')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  result_code     TEXT,
  answered_at     TEXT,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  UNIQUE (kind, ref_id)
);
INSERT INTO outbox_v7(id, kind, ref_id, created_at, state, attempts, last_error, result_code, answered_at,
                      next_attempt_at)
  SELECT id, kind, ref_id, created_at, state, attempts, last_error, result_code, answered_at, next_attempt_at
  FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v7 RENAME TO outbox;
CREATE INDEX outbox_by_state ON outbox(state);

CREATE TABLE exchanges(
  id                 INTEGER PRIMARY KEY,
  uuid               TEXT NOT NULL UNIQUE,
  sale_id            INTEGER NOT NULL REFERENCES sales(id),
  item_id            INTEGER NOT NULL REFERENCES sale_items(id),
  old_card           TEXT NOT NULL UNIQUE,
  old_serial         TEXT NOT NULL,
  new_card           TEXT NOT NULL UNIQUE,
  new_serial         TEXT NOT NULL,
  exchanged_at       TEXT NOT NULL,
  exchange_date      TEXT NOT NULL,
  user_id            INTEGER NOT NULL REFERENCES users(id),
  approver_id        INTEGER NOT NULL REFERENCES users(id),
  reason             TEXT NOT NULL,
  invoice_before_enc BLOB NOT NULL
);
CREATE INDEX exchanges_by_sale ON exchanges(sale_id);
CREATE TRIGGER exchanges_unchanged BEFORE UPDATE ON exchanges
BEGIN SELECT RAISE(ABORT, 'an exchange is kept as made'); END;
CREATE TRIGGER exchanges_kept BEFORE DELETE ON exchanges
WHEN OLD.exchange_date > date('now', '-' || (SELECT value FROM settings WHERE key = 'retention.years') || ' years')
BEGIN SELECT RAISE(ABORT, 'exchange records are kept for the retention period'); END;
)SQL",
    // 8: every sale linked to its journal entry (hardening issue): the sales rows are checked
    // against the journal, and sales made before migration 6 had no link yet.
    R"SQL(
UPDATE sales SET journal_seq = (SELECT j.seq FROM journal j WHERE j.kind = 'sale'
                                AND json_extract(j.body, '$.sale_uuid') = sales.uuid)
WHERE journal_seq IS NULL;
)SQL",
    // 9: how each sale was paid (issue 16): written with the sale in its transaction, kept as
    // paid. Sales made before have none (they were paid exactly in cash).
    R"SQL(
CREATE TABLE sale_payments(
  id        INTEGER PRIMARY KEY,
  sale_id   INTEGER NOT NULL,
  seq       INTEGER NOT NULL,
  method    TEXT NOT NULL CHECK (method IN ('cash','card','mobile')),
  amount    INTEGER NOT NULL CHECK (amount > 0),
  reference TEXT NOT NULL DEFAULT '',
  change    INTEGER NOT NULL DEFAULT 0 CHECK (change >= 0),
  UNIQUE (sale_id, seq)
);
CREATE TRIGGER sale_payments_no_update BEFORE UPDATE ON sale_payments
BEGIN SELECT RAISE(ABORT, 'a payment is kept as paid'); END;
CREATE TRIGGER sale_payments_no_delete BEFORE DELETE ON sale_payments
BEGIN SELECT RAISE(ABORT, 'a payment is kept as paid'); END;
)SQL",
    // 10: held sales (挂单, issue 16): the buyer (ID number and 户号 sealed like a sale's) and
    // the lines; their cards are reserved to the sale while it is held. Closed as sold,
    // dropped (a manager, or a closing) or expired (sale.hold_minutes), never deleted.
    R"SQL(
CREATE TABLE held_sales(
  id              INTEGER PRIMARY KEY,
  held_at         TEXT NOT NULL,
  user_id         INTEGER NOT NULL REFERENCES users(id),
  buyer_name      TEXT NOT NULL DEFAULT '',
  buyer_id_enc    BLOB NOT NULL,
  buyer_id_masked TEXT NOT NULL DEFAULT '',
  household_enc   BLOB NOT NULL,
  hukou           TEXT NOT NULL CHECK (hukou IN ('agricultural','non-agricultural')),
  buyer_county    TEXT,
  total           INTEGER NOT NULL DEFAULT 0,
  state           TEXT NOT NULL DEFAULT 'held' CHECK (state IN ('held','sold','dropped','expired')),
  closed_at       TEXT,
  closed_by       INTEGER REFERENCES users(id),
  sale_id         INTEGER REFERENCES sales(id),
  reason          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX held_sales_open ON held_sales(state, held_at);
CREATE TABLE held_sale_lines(
  id        INTEGER PRIMARY KEY,
  held_id   INTEGER NOT NULL REFERENCES held_sales(id),
  line_no   INTEGER NOT NULL,
  card_no   TEXT NOT NULL,
  serial_no TEXT NOT NULL DEFAULT '',
  price     INTEGER,
  UNIQUE (held_id, line_no)
);
CREATE INDEX held_sale_lines_by_card ON held_sale_lines(card_no);
CREATE TRIGGER held_sales_kept BEFORE DELETE ON held_sales
BEGIN SELECT RAISE(ABORT, 'a held sale is closed, never deleted'); END;
)SQL",
    // 11: a sale writes less (issue 17). SQLite checks `x IN (three or more values)` through a
    // temporary B-tree it builds on every run of the statement: a sale's outbox row (two such
    // checks), payment and sold card (one each) paid for four, so the same rules are written as
    // ORs (label_cards is rebuilt with foreign keys off, see migrate()). A sale's
    // payments are found by (sale_id, seq), so that key is the table itself (WITHOUT ROWID):
    // one B-tree written per sale instead of a table and its index; its rowid was never read.
    R"SQL(
CREATE TABLE outbox_v11(
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind = 'sale' OR kind = 'return' OR kind = 'event' OR kind = 'closing' OR
                                      kind = 'exchange'),
  ref_id          INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state = 'pending' OR state = 'accepted' OR
                                                         state = 'rejected' OR state = 'withdrawn'),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  result_code     TEXT,
  answered_at     TEXT,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  UNIQUE (kind, ref_id)
);
INSERT INTO outbox_v11(id, kind, ref_id, created_at, state, attempts, last_error, result_code, answered_at,
                       next_attempt_at)
  SELECT id, kind, ref_id, created_at, state, attempts, last_error, result_code, answered_at, next_attempt_at
  FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v11 RENAME TO outbox;
CREATE INDEX outbox_by_state ON outbox(state);

CREATE TABLE sale_payments_v11(
  sale_id   INTEGER NOT NULL,
  seq       INTEGER NOT NULL,
  method    TEXT NOT NULL CHECK (method = 'cash' OR method = 'card' OR method = 'mobile'),
  amount    INTEGER NOT NULL CHECK (amount > 0),
  reference TEXT NOT NULL DEFAULT '',
  change    INTEGER NOT NULL DEFAULT 0 CHECK (change >= 0),
  PRIMARY KEY (sale_id, seq)
) WITHOUT ROWID;
INSERT INTO sale_payments_v11(sale_id, seq, method, amount, reference, change)
  SELECT sale_id, seq, method, amount, reference, change FROM sale_payments;
DROP TABLE sale_payments;
ALTER TABLE sale_payments_v11 RENAME TO sale_payments;
CREATE TRIGGER sale_payments_no_update BEFORE UPDATE ON sale_payments
BEGIN SELECT RAISE(ABORT, 'a payment is kept as paid'); END;
CREATE TRIGGER sale_payments_no_delete BEFORE DELETE ON sale_payments
BEGIN SELECT RAISE(ABORT, 'a payment is kept as paid'); END;

CREATE TABLE label_cards_v11(
  card_no     TEXT PRIMARY KEY,
  serial_no   TEXT NOT NULL,
  model_code  TEXT NOT NULL REFERENCES catalog_models(model_code),
  outlet_code TEXT NOT NULL,
  receipt_id  INTEGER NOT NULL REFERENCES goods_receipts(id),
  state       TEXT NOT NULL DEFAULT 'in_stock' CHECK (state = 'in_stock' OR state = 'sold' OR state = 'returned'),
  UNIQUE (model_code, serial_no)
);
INSERT INTO label_cards_v11(rowid, card_no, serial_no, model_code, outlet_code, receipt_id, state)
  SELECT rowid, card_no, serial_no, model_code, outlet_code, receipt_id, state FROM label_cards;
DROP TABLE label_cards;
ALTER TABLE label_cards_v11 RENAME TO label_cards;
)SQL",
    // 12: two B-trees fewer written per sale (issue 17), and the date index covers the
    // reports. A sale's uuid was kept unique by an index that only the ledger audit read, and
    // it now finds the sale by its invoice number (unique, and compares the uuid); a random v4
    // uuid needs no index to stay unique. The sold card's row, written by every sale anyway,
    // now names the sale (label_cards.sale_id), so a sale is found by a card through the
    // card's own key, and sale_items loses its index on card_no: that a card is sold once is
    // the card's own update (Cards::sell). Both tables are rebuilt (SQLite cannot drop a UNIQUE constraint) with
    // their rowids kept, foreign keys off (see migrate()).
    R"SQL(
ALTER TABLE label_cards ADD COLUMN sale_id INTEGER REFERENCES sales(id);
UPDATE label_cards SET sale_id = (SELECT i.sale_id FROM sale_items i WHERE i.card_no = label_cards.card_no)
  WHERE state != 'in_stock';
UPDATE label_cards SET sale_id = (SELECT x.sale_id FROM exchanges x WHERE x.old_card = label_cards.card_no)
  WHERE sale_id IS NULL AND state != 'in_stock';

CREATE TABLE sale_items_v12(
  id         INTEGER PRIMARY KEY,
  sale_id    INTEGER NOT NULL REFERENCES sales(id),
  line_no    INTEGER NOT NULL,
  card_no    TEXT NOT NULL REFERENCES label_cards(card_no),
  serial_no  TEXT NOT NULL,
  model_code TEXT NOT NULL,
  category   TEXT NOT NULL,
  brand      TEXT NOT NULL,
  name       TEXT NOT NULL,
  spec       TEXT NOT NULL,
  price      INTEGER NOT NULL CHECK (price > 0),
  subsidy    INTEGER NOT NULL CHECK (subsidy >= 0),
  state      TEXT NOT NULL DEFAULT 'sold' CHECK (state = 'sold' OR state = 'returned'),
  UNIQUE (sale_id, line_no)
);
INSERT INTO sale_items_v12(id, sale_id, line_no, card_no, serial_no, model_code, category, brand, name, spec, price,
                           subsidy, state)
  SELECT id, sale_id, line_no, card_no, serial_no, model_code, category, brand, name, spec, price, subsidy, state
  FROM sale_items;
DROP TABLE sale_items;
ALTER TABLE sale_items_v12 RENAME TO sale_items;

CREATE TABLE sales_v12(
  id              INTEGER PRIMARY KEY,
  uuid            TEXT NOT NULL,
  invoice_no      INTEGER NOT NULL UNIQUE CHECK (invoice_no > 0),
  sold_at         TEXT NOT NULL,
  sale_date       TEXT NOT NULL,
  user_id         INTEGER NOT NULL REFERENCES users(id),
  buyer_name      TEXT NOT NULL,
  buyer_id_enc    BLOB NOT NULL,
  buyer_id_hash   TEXT NOT NULL,
  buyer_id_masked TEXT NOT NULL,
  household_enc   BLOB NOT NULL,
  household_hash  TEXT NOT NULL,
  hukou           TEXT NOT NULL,
  buyer_county    TEXT NOT NULL,
  policy_phase    TEXT NOT NULL,
  total           INTEGER NOT NULL,
  subsidy         INTEGER NOT NULL,
  warnings        TEXT NOT NULL DEFAULT '',
  provisional     INTEGER NOT NULL DEFAULT 0,
  journal_seq     INTEGER
);
INSERT INTO sales_v12(id, uuid, invoice_no, sold_at, sale_date, user_id, buyer_name, buyer_id_enc, buyer_id_hash,
                      buyer_id_masked, household_enc, household_hash, hukou, buyer_county, policy_phase, total,
                      subsidy, warnings, provisional, journal_seq)
  SELECT id, uuid, invoice_no, sold_at, sale_date, user_id, buyer_name, buyer_id_enc, buyer_id_hash,
         buyer_id_masked, household_enc, household_hash, hukou, buyer_county, policy_phase, total,
         subsidy, warnings, provisional, journal_seq
  FROM sales;
DROP TABLE sales;
ALTER TABLE sales_v12 RENAME TO sales;
CREATE INDEX sales_by_household ON sales(household_hash);
-- Covering what the reports read by date (the sales per clerk, the daily series of totals:
-- a daily report's 30-day chart read ~50,000 sale rows one by one); still one B-tree a sale.
CREATE INDEX sales_by_date ON sales(sale_date, user_id, total, subsidy);
)SQL",
};

constexpr int kLatest = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);
}  // namespace

int latest_schema_version() { return kLatest; }

platform::Migrations terminal_migrations_until(int version) {
  const auto n = static_cast<std::size_t>(std::clamp(version, 1, kLatest));
  return platform::numbered_migrations("terminal", std::vector<std::string_view>(std::begin(kMigrations),
                                                                               std::begin(kMigrations) + n));
}

const platform::Migrations& terminal_migrations() {
  static const platform::Migrations m = platform::numbered_migrations(
      "terminal", std::vector<std::string_view>(std::begin(kMigrations), std::end(kMigrations)));
  return m;
}

}  // namespace hn::store
