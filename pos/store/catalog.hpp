#pragma once
// The catalog's models as imported: category, brand, spec and price cap (core/catalog.hpp).
#include <optional>
#include <string>

#include "core/catalog.hpp"
#include "store/platform_names.hpp"

namespace hn::store {

class CatalogModels {
 public:
  explicit CatalogModels(Database& db) : db_(db) {}
  void upsert(const CatalogModel& m);
  Catalog load();
  std::optional<CatalogModel> find(const std::string& model_code);

 private:
  Database& db_;
};

}  // namespace hn::store
