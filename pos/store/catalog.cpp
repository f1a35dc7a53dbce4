#include "store/catalog.hpp"

#include "store/stored_values.hpp"

namespace hn::store {

void CatalogModels::upsert(const CatalogModel& m) {
  db_.prepare("INSERT INTO catalog_models(model_code, category, brand, name, spec, max_price, "
              "valid_from, valid_to, updated_at) VALUES(?,?,?,?,?,?,?,?,datetime('now')) "
              "ON CONFLICT(model_code) DO UPDATE SET category = excluded.category, "
              "brand = excluded.brand, name = excluded.name, spec = excluded.spec, "
              "max_price = excluded.max_price, valid_from = excluded.valid_from, "
              "valid_to = excluded.valid_to, updated_at = excluded.updated_at")
      .bind(1, m.model_code)
      .bind(2, category_code(m.category))
      .bind(3, m.brand)
      .bind(4, m.name)
      .bind(5, m.spec)
      .bind(6, m.max_price)
      .bind(7, m.valid_from.iso())
      .bind(8, m.valid_to ? std::optional<std::string>(m.valid_to->iso()) : std::nullopt)
      .run();
}

namespace {
constexpr const char* kModelColumns =
    "model_code, category, brand, name, spec, max_price, valid_from, valid_to";

CatalogModel read_model(const Statement& st) {
  CatalogModel m;
  m.model_code = st.text(0);
  m.category = parse_stored_category(st.text(1));
  m.brand = st.text(2);
  m.name = st.text(3);
  m.spec = st.text(4);
  m.max_price = st.int64(5);
  m.valid_from = parse_stored_date(st.text(6));
  if (!st.is_null(7)) m.valid_to = parse_stored_date(st.text(7));
  return m;
}
}  // namespace

Catalog CatalogModels::load() {
  auto st = db_.prepare(std::string("SELECT ") + kModelColumns + " FROM catalog_models");
  Catalog c;
  while (st.step()) c.put(read_model(st));
  return c;
}

std::optional<CatalogModel> CatalogModels::find(const std::string& model_code) {
  auto st = db_.prepare(std::string("SELECT ") + kModelColumns +
                        " FROM catalog_models WHERE model_code = ?");
  st.bind(1, model_code);
  if (!st.step()) return std::nullopt;
  return read_model(st);
}

}  // namespace hn::store
