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
                          "UPDATE label_cards SET state = 'sold' WHERE card_no = ? AND state = 'in_stock'",
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
