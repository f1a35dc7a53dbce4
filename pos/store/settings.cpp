#include "store/settings.hpp"

namespace hn::store {

std::optional<std::string> Settings::get(const std::string& key) {
  auto st = db_.prepare("SELECT value FROM settings WHERE key = ?");
  st.bind(1, key);
  if (!st.step()) return std::nullopt;
  return st.text(0);
}

void Settings::set(const std::string& key, const std::string& value) {
  db_.prepare("INSERT INTO settings(key, value) VALUES(?, ?) "
              "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .bind(1, key)
      .bind(2, value)
      .run();
}

std::vector<std::string> Settings::calendars() {
  std::vector<std::string> out;
  auto st = db_.prepare("SELECT value FROM settings WHERE key LIKE 'calendar.%' ORDER BY key");
  while (st.step()) out.push_back(st.text(0));
  return out;
}

}  // namespace hn::store
