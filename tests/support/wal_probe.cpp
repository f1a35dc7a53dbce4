#include "wal_probe.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <fstream>
#include <set>
#include <stdexcept>
#include <vector>

namespace hn::test {

void empty_wal(sqlite3* db) {
  if (sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string("checkpoint: ") + sqlite3_errmsg(db));
}

std::map<std::string, int> wal_pages_by_btree(sqlite3* db, const std::string& db_path) {
  std::map<std::string, int> out;
  std::map<std::int64_t, std::string> owner;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT name, pageno FROM dbstat", -1, &st, nullptr) != SQLITE_OK) {
    sqlite3_finalize(st);
    return out;
  }
  while (sqlite3_step(st) == SQLITE_ROW)
    owner[sqlite3_column_int64(st, 1)] = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  // WAL format: a 32-byte header (page size at offset 8), then frames of a 24-byte header
  // (page number at offset 0) and one page; all numbers big-endian.
  std::ifstream wal(db_path + "-wal", std::ios::binary);
  std::vector<unsigned char> header(32);
  if (!wal.read(reinterpret_cast<char*>(header.data()), 32)) return out;
  const auto be32 = [](const unsigned char* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
  };
  const std::uint32_t page_size = be32(header.data() + 8);
  std::set<std::uint32_t> pages;
  std::vector<unsigned char> frame(24 + page_size);
  while (wal.read(reinterpret_cast<char*>(frame.data()), static_cast<std::streamsize>(frame.size())))
    pages.insert(be32(frame.data()));
  for (const std::uint32_t p : pages) {
    const auto it = owner.find(p);
    ++out[it == owner.end() ? "(free list or new)" : p == 1 ? "page 1: header + sqlite_schema" : it->second];
  }
  return out;
}

}  // namespace hn::test
