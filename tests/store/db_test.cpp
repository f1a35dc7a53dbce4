#include <catch2/catch.hpp>
#include <sys/stat.h>

#include "platform/database.hpp"
#include "store/migrations.hpp"
#include "temp_dir.hpp"

using hn::platform::Database;
using hn::platform::Transaction;

TEST_CASE("a new database is migrated to the latest schema", "[store][migrations]") {
  hn::test::TempDir dir;
  auto db = Database::open(dir.file("t.db"), true, hn::store::terminal_migrations());
  CHECK(db.schema_version() == hn::store::latest_schema_version());
  auto st = db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                       "('sales','sale_items','label_cards','outbox','journal','users')");
  REQUIRE(st.step());
  CHECK(st.integer(0) == 6);
}

TEST_CASE("reopening a migrated database changes nothing", "[store][migrations]") {
  hn::test::TempDir dir;
  { auto db = Database::open(dir.file("t.db"), true, hn::store::terminal_migrations()); db.exec("INSERT INTO settings VALUES('k','v')"); }
  auto db = Database::open(dir.file("t.db"), false, hn::store::terminal_migrations());
  auto st = db.prepare("SELECT value FROM settings WHERE key = 'k'");
  REQUIRE(st.step());
  CHECK(st.text(0) == "v");
}

TEST_CASE("a database from a newer program is refused", "[store][migrations]") {
  hn::test::TempDir dir;
  { auto db = Database::open(dir.file("t.db"), true, hn::store::terminal_migrations()); db.exec("PRAGMA user_version = 999"); }
  CHECK_THROWS_AS(Database::open(dir.file("t.db"), false, hn::store::terminal_migrations()), hn::platform::SetupError);
}

TEST_CASE("the database runs in WAL mode with full sync and owner-only permissions", "[store]") {
  hn::test::TempDir dir;
  auto db = Database::open(dir.file("t.db"), true, hn::store::terminal_migrations());
  auto mode = db.prepare("PRAGMA journal_mode");
  REQUIRE(mode.step());
  CHECK(mode.text(0) == "wal");
  auto sync = db.prepare("PRAGMA synchronous");
  REQUIRE(sync.step());
  CHECK(sync.integer(0) == 2);  // FULL
  struct stat st {};
  REQUIRE(::stat(dir.file("t.db").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("a transaction left without commit rolls back", "[store]") {
  hn::test::TempDir dir;
  auto db = Database::open(dir.file("t.db"), true, hn::store::terminal_migrations());
  {
    Transaction tx(db);
    db.exec("INSERT INTO settings VALUES('gone','1')");
  }
  auto st = db.prepare("SELECT COUNT(*) FROM settings WHERE key = 'gone'");
  REQUIRE(st.step());
  CHECK(st.integer(0) == 0);
}

TEST_CASE("the journal cannot be updated or deleted", "[store][journal]") {
  hn::test::TempDir dir;
  auto db = Database::open(dir.file("t.db"), true, hn::store::terminal_migrations());
  db.exec("INSERT INTO journal VALUES(1,'2026-01-01T00:00:00','u','k','{}','0','h')");
  CHECK_THROWS_AS(db.exec("UPDATE journal SET body = '{\"x\":1}' WHERE seq = 1"), hn::platform::DbError);
  CHECK_THROWS_AS(db.exec("DELETE FROM journal WHERE seq = 1"), hn::platform::DbError);
}

TEST_CASE("a sale's outbox row, payment and sold card are checked without a temporary B-tree", "[store][migrations]") {
  // SQLite checks `x IN (three or more values)` through a B-tree it builds on every run of the
  // statement (issue 17): the rules of these tables are written so that it needs none.
  hn::test::TempDir dir;
  auto db = Database::open(dir.file("t.db"), true, hn::store::terminal_migrations());
  for (const char* sql : {"INSERT INTO outbox(kind, ref_id, created_at) VALUES(?, ?, ?)",
                          "INSERT INTO sale_payments(sale_id, seq, method, amount, reference, change) VALUES(?,?,?,?,?,?)",
                          // as Sales::insert and Exchanges::insert run it (schema 12)
                          "UPDATE label_cards SET state = 'sold', sale_id = ? "
                          "WHERE card_no = ? AND state = 'in_stock' AND sale_id IS NULL",
                          "INSERT INTO sale_items(sale_id, line_no, card_no, serial_no, model_code, category, brand, "
                          "name, spec, price, subsidy) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                          "UPDATE outbox SET state = ? WHERE id = ?"}) {
    INFO(sql);
    auto plan = db.prepare(std::string("EXPLAIN ") + sql);
    int ephemeral = 0;
    while (plan.step()) ephemeral += plan.text(1) == "OpenEphemeral";
    CHECK(ephemeral == 0);
  }
  // The same rules still hold, and foreign keys are on again after the migrations.
  CHECK_THROWS_AS(db.exec("INSERT INTO outbox(kind, ref_id, created_at) VALUES('parcel', 1, 't')"), hn::platform::DbError);
  db.exec("INSERT INTO outbox(kind, ref_id, created_at) VALUES('exchange', 1, 't')");
  CHECK_THROWS_AS(db.exec("UPDATE outbox SET state = 'lost'"), hn::platform::DbError);
  CHECK_THROWS_AS(db.exec("INSERT INTO sale_payments(sale_id, seq, method, amount) VALUES(1, 1, 'gold', 5)"),
                  hn::platform::DbError);
  db.exec("INSERT INTO sale_payments(sale_id, seq, method, amount) VALUES(1, 1, 'mobile', 5)");
  CHECK_THROWS_AS(db.exec("INSERT INTO sale_payments(sale_id, seq, method, amount) VALUES(1, 1, 'cash', 5)"),
                  hn::platform::DbError);
  CHECK_THROWS_AS(db.exec("DELETE FROM sale_payments"), hn::platform::DbError);
  auto fk = db.prepare("PRAGMA foreign_keys");
  REQUIRE(fk.step());
  CHECK(fk.integer(0) == 1);
  CHECK_THROWS_AS(db.exec("INSERT INTO label_cards(card_no, serial_no, model_code, outlet_code, receipt_id) "
                          "VALUES('C1', 'S1', 'NO-SUCH-MODEL', 'O', 1)"),
                  hn::platform::DbError);
}

TEST_CASE("schema 12 upgrades a terminal's sales: sold cards name their sale, two indexes fewer", "[store][migrations]") {
  // A file as a terminal at schema 11 left it: one sale of two lines, the second exchanged
  // (its old card taken back, the line moved to the new card), one card still in stock.
  hn::test::TempDir dir;
  const std::string path = dir.file("t.db");
  {
    auto db = Database::open(path, true, hn::store::terminal_migrations_until(11));
    REQUIRE(db.schema_version() == 11);
    db.exec(R"SQL(
INSERT INTO users(id, login, name, role, pin_salt, pin_hash, pin_iterations, created_at)
  VALUES(1, 'boss', '老板', 'manager', x'00', x'00', 1, '2009-01-01T08:00:00');
INSERT INTO catalog_models VALUES('TV1', 'tv', 'B', 'TV', '32', 200000, '2009-01-01', NULL, '2009-01-01T08:00:00');
INSERT INTO goods_receipts VALUES(1, '2009-01-01T08:00:00', 1, 'csv', 4);
INSERT INTO label_cards(card_no, serial_no, model_code, outlet_code, receipt_id, state) VALUES
  ('C1', 'S1', 'TV1', 'O', 1, 'sold'), ('C2', 'S2', 'TV1', 'O', 1, 'returned'),
  ('C3', 'S3', 'TV1', 'O', 1, 'sold'), ('C4', 'S4', 'TV1', 'O', 1, 'in_stock');
INSERT INTO sales(id, uuid, invoice_no, sold_at, sale_date, user_id, buyer_name, buyer_id_enc, buyer_id_hash,
                  buyer_id_masked, household_enc, household_hash, hukou, buyer_county, policy_phase, total, subsidy,
                  provisional, journal_seq)
  VALUES(7, 'u-7', 41, '2009-01-02T09:00:00', '2009-01-02', 1, '张三', x'01', 'idh', '3411**', x'02', 'hh',
         'agricultural', '341122', '2008-12', 300000, 39000, 1, 5);
INSERT INTO sale_items(id, sale_id, line_no, card_no, serial_no, model_code, category, brand, name, spec, price, subsidy)
  VALUES(20, 7, 1, 'C1', 'S1', 'TV1', 'tv', 'B', 'TV', '32', 150000, 19500),
        (21, 7, 2, 'C3', 'S3', 'TV1', 'tv', 'B', 'TV', '32', 150000, 19500);
INSERT INTO exchanges(id, uuid, sale_id, item_id, old_card, old_serial, new_card, new_serial, exchanged_at,
                      exchange_date, user_id, approver_id, reason, invoice_before_enc)
  VALUES(1, 'x-1', 7, 21, 'C2', 'S2', 'C3', 'S3', '2009-01-03T09:00:00', '2009-01-03', 1, 1, '坏点', x'03');
)SQL");
  }
  auto db = Database::open(path, false, hn::store::terminal_migrations());
  CHECK(db.schema_version() == hn::store::latest_schema_version());
  auto sale_of = [&db](const char* card) {
    auto st = db.prepare("SELECT sale_id FROM label_cards WHERE card_no = ?");
    st.bind(1, card);
    REQUIRE(st.step());
    return st.is_null(0) ? std::int64_t{0} : st.int64(0);
  };
  CHECK(sale_of("C1") == 7);  // sold on the sale
  CHECK(sale_of("C2") == 7);  // taken back by the exchange
  CHECK(sale_of("C3") == 7);  // sold by the exchange
  CHECK(sale_of("C4") == 0);  // in stock
  // Rows, rowids and columns as they were.
  auto sale = db.prepare("SELECT uuid, invoice_no, provisional, journal_seq, buyer_name FROM sales WHERE id = 7");
  REQUIRE(sale.step());
  CHECK(sale.text(0) == "u-7");
  CHECK(sale.int64(1) == 41);
  CHECK(sale.int64(2) == 1);
  CHECK(sale.int64(3) == 5);
  CHECK(sale.text(4) == "张三");
  auto items = db.prepare("SELECT group_concat(id || ':' || card_no, ',') FROM (SELECT id, card_no FROM sale_items ORDER BY id)");
  REQUIRE(items.step());
  CHECK(items.text(0) == "20:C1,21:C3");
  // What a sale writes: the uuid and the item's card are no longer indexed.
  auto indexes = db.prepare("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema WHERE type = 'index' "
                            "AND tbl_name IN ('sales', 'sale_items') ORDER BY name)");
  REQUIRE(indexes.step());
  CHECK(indexes.text(0) == "sales_by_date,sales_by_household,sqlite_autoindex_sale_items_1,sqlite_autoindex_sales_1");
  // The rules that stay: invoice numbers unique, one line number a sale, references checked.
  CHECK_THROWS_AS(db.exec("UPDATE sales SET invoice_no = 41 WHERE id = 7; INSERT INTO sales SELECT 8, 'u-8', 41, "
                          "sold_at, sale_date, user_id, buyer_name, buyer_id_enc, buyer_id_hash, buyer_id_masked, "
                          "household_enc, household_hash, hukou, buyer_county, policy_phase, total, subsidy, warnings, "
                          "0, NULL FROM sales WHERE id = 7"),
                  hn::platform::DbError);
  CHECK_THROWS_AS(db.exec("UPDATE sale_items SET line_no = 1 WHERE id = 21"), hn::platform::DbError);
  CHECK_THROWS_AS(db.exec("UPDATE label_cards SET sale_id = 99 WHERE card_no = 'C4'"), hn::platform::DbError);
  auto fk = db.prepare("PRAGMA foreign_key_check");
  CHECK_FALSE(fk.step());
}
