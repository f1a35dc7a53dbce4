// Files a manager imports: RFC 4180 CSV, the catalog (model list with bid prices) and a goods
// receipt (label cards and serials). No input may crash the parsers, and an accepted file,
// written back as we would write it, reads the same.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalog.hpp"
#include "core/csv.hpp"
#include "core/label_card.hpp"
#include "core/money.hpp"
#include "fuzz_check.hpp"

using namespace hn;

namespace {

// The start of assets/demo/catalog.csv: the models a goods receipt may name.
constexpr std::string_view kDemoCatalog =
    "model_code,category,brand,name,spec,max_price,valid_from,valid_to\n"
    "HISENSE-TLM26V68,tv,海信,液晶彩电,26英寸 LCD,1999.00,2008-12-01,\n"
    "TCL-L22E9,tv,TCL,液晶彩电,22英寸 LCD,1699.00,2008-12-01,\n"
    "HAIER-BCD-186KB,fridge,海尔,双门冰箱,186升 双门 直冷,1799.00,2008-12-01,\n"
    "NOKIA-2610,phone,诺基亚,手机,GSM 彩屏,590.00,2008-12-01,2009-06-30\n";

const Catalog& demo_catalog() {
  static const Catalog catalog = [] {
    std::vector<CatalogModel> models;
    ImportMessage error;
    FUZZ_CHECK(parse_catalog_csv(kDemoCatalog, models, error));
    Catalog c;
    for (auto& m : models) c.put(std::move(m));
    return c;
  }();
  return catalog;
}

std::string render_row(const std::vector<std::string>& fields) {
  // One empty field alone would be a blank line, which the parser skips.
  if (fields.size() == 1 && fields[0].empty()) return "\"\"\n";
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
  return out + "\n";
}

void check_csv(std::string_view text) {
  CsvTable table;
  CsvError error;
  if (!parse_csv(text, table, error)) {
    FUZZ_CHECK(!error.what_zh.empty() && !error.what_en.empty() && error.line >= 0);
    return;
  }
  // A BOM first, so that one the file itself began a field with survives the dropped one.
  std::string back = "\xEF\xBB\xBF" + render_row(table.header);
  for (const auto& r : table.rows) {
    FUZZ_CHECK(r.line >= 2);
    back += render_row(r.fields);
  }
  CsvTable again;
  FUZZ_CHECK(parse_csv(back, again, error));
  FUZZ_CHECK(again.header == table.header);
  FUZZ_CHECK(again.rows.size() == table.rows.size());
  for (std::size_t i = 0; i < table.rows.size(); ++i) FUZZ_CHECK(again.rows[i].fields == table.rows[i].fields);
}

void check_cards(std::string_view text, const Catalog& catalog) {
  std::vector<CardReceiptRow> rows;
  ImportMessage error;
  if (!parse_card_batch_csv(text, catalog, rows, error)) {
    FUZZ_CHECK(rows.empty());
    FUZZ_CHECK(!error.message_zh.empty() && !error.message_en.empty());
    (void)error.text();
    return;
  }
  std::string back = std::string(kCardBatchHeader) + "\n";
  for (const auto& r : rows) {
    FUZZ_CHECK(is_valid_card_no(r.card_no) && is_valid_serial_no(r.serial_no));
    FUZZ_CHECK(catalog.find(r.model_code) != nullptr);
    back += csv_field(r.card_no) + "," + csv_field(r.serial_no) + "," + csv_field(r.model_code) + "\n";
  }
  std::vector<CardReceiptRow> again;
  FUZZ_CHECK(parse_card_batch_csv(back, catalog, again, error));
  FUZZ_CHECK(again.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    FUZZ_CHECK(again[i].card_no == rows[i].card_no && again[i].serial_no == rows[i].serial_no &&
               again[i].model_code == rows[i].model_code);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_csv(text);
  check_cards(text, demo_catalog());

  std::vector<CatalogModel> models;
  ImportMessage error;
  if (!parse_catalog_csv(text, models, error)) {
    FUZZ_CHECK(models.empty());
    FUZZ_CHECK(!error.message_zh.empty() && !error.message_en.empty());
    (void)error.text();
    (void)error.where_zh();
    (void)error.where_en();
    return 0;
  }
  std::string back = std::string(kCatalogHeader) + "\n";
  Catalog catalog;
  for (const auto& m : models) {
    FUZZ_CHECK(is_valid_model_code(m.model_code));
    FUZZ_CHECK(m.max_price > 0 && m.max_price <= kMaxAmount);
    FUZZ_CHECK(!m.valid_to || m.valid_from <= *m.valid_to);
    back += csv_field(m.model_code) + "," + std::string(category_code(m.category)) + "," + csv_field(m.brand) +
            "," + csv_field(m.name) + "," + csv_field(m.spec) + "," + format_yuan(m.max_price) + "," +
            m.valid_from.iso() + "," + (m.valid_to ? m.valid_to->iso() : "") + "\n";
    catalog.put(m);
  }
  std::vector<CatalogModel> again;
  FUZZ_CHECK(parse_catalog_csv(back, again, error));
  FUZZ_CHECK(again.size() == models.size());
  for (std::size_t i = 0; i < models.size(); ++i) {
    const auto& a = models[i];
    const auto& b = again[i];
    FUZZ_CHECK(a.model_code == b.model_code && a.category == b.category && a.brand == b.brand &&
               a.name == b.name && a.spec == b.spec && a.max_price == b.max_price &&
               a.valid_from == b.valid_from && a.valid_to == b.valid_to);
  }
  // The file's own models as the catalog a goods receipt is checked against.
  check_cards(text, catalog);
  return 0;
}
