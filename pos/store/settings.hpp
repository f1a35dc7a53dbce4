#pragma once
// The terminal's settings (outlet, terminal, policy choices): text under a key.
#include <optional>
#include <string>
#include <vector>

#include "store/platform_names.hpp"

namespace hn::store {

class Settings {
 public:
  explicit Settings(Database& db) : db_(db) {}
  std::optional<std::string> get(const std::string& key);
  void set(const std::string& key, const std::string& value);
  // The holiday calendar files stored under the `calendar.` keys, by key.
  std::vector<std::string> calendars();

 private:
  Database& db_;
};

}  // namespace hn::store
