#pragma once
// The signed daily closings (audit issue): the day's figures as the terminal signed them, one
// row per business day, in the order they were made.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/platform_names.hpp"

namespace hn::store {

// A closing as stored: `body` is the canonical JSON that `signature` signs.
struct ClosingRow {
  std::string date;  // the business day, ISO
  std::string body;
  std::string signature;
};

class Closings {
 public:
  explicit Closings(Database& db) : db_(db) {}
  // Every closing, oldest first.
  std::vector<ClosingRow> all();
  std::optional<ClosingRow> find(std::int64_t id);
  // Records a closing made at `closed_at` in the caller's transaction; its id.
  std::int64_t insert(const ClosingRow& closing, const std::string& closed_at);

 private:
  Database& db_;
};

}  // namespace hn::store
