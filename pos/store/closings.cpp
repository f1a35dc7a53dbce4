#include "store/closings.hpp"

namespace hn::store {

std::vector<ClosingRow> Closings::all() {
  std::vector<ClosingRow> out;
  auto st = db_.prepare("SELECT business_date, body, signature FROM closings ORDER BY id");
  while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2)});
  return out;
}

std::optional<ClosingRow> Closings::find(std::int64_t id) {
  auto st = db_.prepare("SELECT business_date, body, signature FROM closings WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return ClosingRow{st.text(0), st.text(1), st.text(2)};
}

std::int64_t Closings::insert(const ClosingRow& closing, const std::string& closed_at) {
  db_.prepare("INSERT INTO closings(business_date, body, signature, closed_at) VALUES(?,?,?,?)")
      .bind(1, closing.date)
      .bind(2, closing.body)
      .bind(3, closing.signature)
      .bind(4, closed_at)
      .run();
  return db_.last_insert_rowid();
}

}  // namespace hn::store
