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
