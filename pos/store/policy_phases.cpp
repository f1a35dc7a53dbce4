#include "store/policy_phases.hpp"

namespace hn::store {

void PolicyPhases::put(const std::string& id, const std::string& source) {
  db_.prepare("INSERT INTO policy_phases(id, source, imported_at) VALUES(?,?,datetime('now')) "
              "ON CONFLICT(id) DO UPDATE SET source = excluded.source, imported_at = excluded.imported_at")
      .bind(1, id)
      .bind(2, source)
      .run();
}

std::optional<std::string> PolicyPhases::source(const std::string& id) {
  auto st = db_.prepare("SELECT source FROM policy_phases WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return st.text(0);
}

std::vector<std::string> PolicyPhases::ids() {
  auto st = db_.prepare("SELECT id FROM policy_phases ORDER BY id");
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.text(0));
  return out;
}

}  // namespace hn::store
