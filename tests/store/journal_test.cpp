#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "platform/database.hpp"
#include "store/journal.hpp"
#include "temp_dir.hpp"
#include "store/migrations.hpp"

using namespace hn::store;

TEST_CASE("journal entries chain each hash to the one before", "[store][journal]") {
  hn::test::TempDir dir;
  auto db = Database::open(dir.file("t.db"), true, hn::store::terminal_migrations());
  const auto a = journal_append(db, "2026-11-27T10:00:00", "wang", "init", {{"x", 1}});
  const auto b = journal_append(db, "2026-11-27T10:01:00", "li", "sale", {{"y", "二"}});
  CHECK(a.seq == 1);
  CHECK(b.seq == 2);
  CHECK(a.prev_hash == kGenesisHash);
  CHECK(b.prev_hash == a.hash);
  CHECK(a.hash != b.hash);
  CHECK(a.hash.size() == 64);
  CHECK(journal_first_broken_link(db) == 0);
}

TEST_CASE("a changed journal body is found by walking the chain", "[store][journal]") {
  hn::test::TempDir dir;
  auto db = Database::open(dir.file("t.db"), true, hn::store::terminal_migrations());
  journal_append(db, "2026-11-27T10:00:00", "wang", "init", {{"x", 1}});
  journal_append(db, "2026-11-27T10:01:00", "li", "sale", {{"total", 199900}});
  journal_append(db, "2026-11-27T10:02:00", "li", "sale", {{"total", 99900}});
  // Simulate someone editing the file by hand: the triggers stop SQL updates, so drop them.
  db.exec("DROP TRIGGER journal_no_update");
  db.exec("UPDATE journal SET body = '{\"total\":1}' WHERE seq = 2");
  CHECK(journal_first_broken_link(db) == 2);
}

TEST_CASE("the canonical body sorts keys and has no spaces", "[store][journal]") {
  CHECK(canonical_json({{"b", 1}, {"a", "x"}}) == R"({"a":"x","b":1})");
}
