#pragma once
// A terminal's database file seen from outside, as an auditor with the file would: read-only
// queries, and damage done on purpose.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hn::test {

class DbReader {
 public:
  explicit DbReader(std::string path) : path_(std::move(path)) {}
  // The first column of the first row as an integer (COUNT(*) and the like).
  std::int64_t scalar(const std::string& sql) const;
  std::int64_t count(const std::string& table) const { return scalar("SELECT COUNT(*) FROM " + table); }
  // Every row, every column as its raw bytes (NULL as empty).
  std::vector<std::vector<std::string>> rows(const std::string& sql) const;
  // The first column of every row.
  std::vector<std::string> column(const std::string& sql) const;

 private:
  std::string path_;
};

// Runs `sql` on the file read-write with SQLite's own triggers and checks out of the way where
// the SQL says so, then checkpoints the log into the file: for tests that damage a database on
// purpose, as a disk or a person with the file could.
void tamper(const std::string& path, const std::string& sql);

}  // namespace hn::test
