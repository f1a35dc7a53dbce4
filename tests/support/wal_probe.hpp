#pragma once
// What a commit writes, read back from the WAL: the tests pin a sale's write set with it and
// the checkout benchmark prints it (issue 17).
#include <map>
#include <string>

struct sqlite3;

namespace hn::test {

// A TRUNCATE checkpoint: the WAL emptied, so the next commit's pages are all it holds.
void empty_wal(sqlite3* db);
// The pages the WAL holds, by the B-tree (table or index) each belongs to, named by dbstat
// (SQLITE_ENABLE_DBSTAT_VTAB): after empty_wal(), what the next commit writes. Page 1 (the
// header, written when the file grows) is "page 1: header + sqlite_schema". Empty when this
// SQLite has no dbstat.
std::map<std::string, int> wal_pages_by_btree(sqlite3* db, const std::string& db_path);

}  // namespace hn::test
