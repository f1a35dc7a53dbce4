#include "db_reader.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <memory>
#include <stdexcept>

namespace hn::test {

namespace {
struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
};

std::unique_ptr<sqlite3, DbCloser> open_read_only(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw std::runtime_error("no database file " + path);
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, DbCloser> db(raw);
  if (rc != SQLITE_OK)
    throw std::runtime_error("cannot open " + path + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

std::vector<std::vector<std::string>> all_rows(const std::string& path, const std::string& sql) {
  auto db = open_read_only(path);
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
    throw std::runtime_error("prepare '" + sql + "': " + sqlite3_errmsg(db.get()));
  std::unique_ptr<sqlite3_stmt, StmtFinalizer> st(raw);
  std::vector<std::vector<std::string>> rows;
  int rc = 0;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    std::vector<std::string> row;
    const int n = sqlite3_column_count(raw);
    for (int i = 0; i < n; ++i) {
      const void* p = sqlite3_column_blob(raw, i);  // raw bytes, whatever the column's type
      const int len = sqlite3_column_bytes(raw, i);
      row.emplace_back(p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(len)) : "");
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) throw std::runtime_error("step '" + sql + "': " + sqlite3_errmsg(db.get()));
  return rows;
}
}  // namespace

std::int64_t DbReader::scalar(const std::string& sql) const {
  const auto rows = all_rows(path_, sql);
  if (rows.empty() || rows[0].empty()) throw std::runtime_error("no value from '" + sql + "'");
  return std::stoll(rows[0][0]);
}

std::vector<std::vector<std::string>> DbReader::rows(const std::string& sql) const {
  return all_rows(path_, sql);
}

std::vector<std::string> DbReader::column(const std::string& sql) const {
  std::vector<std::string> out;
  for (auto& row : all_rows(path_, sql)) out.push_back(row.empty() ? "" : row[0]);
  return out;
}

void tamper(const std::string& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  std::unique_ptr<sqlite3, DbCloser> db(raw);
  if (rc != SQLITE_OK) throw std::runtime_error("cannot open " + path + " to tamper with it");
  sqlite3_busy_timeout(raw, 5000);
  char* err = nullptr;
  const std::string all = sql + ";PRAGMA wal_checkpoint(TRUNCATE);";
  if (sqlite3_exec(raw, all.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error("tampering with " + path + " failed: " + msg);
  }
}

}  // namespace hn::test
