#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/catalog.hpp"
#include "test_files.hpp"

using hn::CatalogModel;
using hn::Category;
using hn::Date;
using hn::ImportMessage;

namespace {
const std::string kHeader = "model_code,category,brand,name,spec,max_price,valid_from,valid_to\n";
// Two good rows (lines 2 and 3); tests append a third row on line 4 or replace one.
const std::string kRowTv = "HISENSE-TLM26V68,tv,海信,液晶彩电,26英寸 LCD,1999.00,2008-12-01,\n";
const std::string kRowFridge =
    "HAIER-BCD-186KB,fridge,海尔,双门冰箱,186升 双门 直冷,1799.00,2008-12-01,2009-11-30\n";

ImportMessage import_fails(const std::string& text) {
  std::vector<CatalogModel> out;
  ImportMessage error;
  const bool ok = hn::parse_catalog_csv(text, out, error);
  REQUIRE_FALSE(ok);
  return error;
}

ImportMessage third_row_fails(const std::string& row) {
  return import_fails(kHeader + kRowTv + kRowFridge + row + "\n");
}

const CatalogModel* find(const std::vector<CatalogModel>& models, const std::string& code) {
  for (const auto& m : models)
    if (m.model_code == code) return &m;
  return nullptr;
}
}  // namespace

TEST_CASE("the shipped demo catalog imports with all 18 models", "[catalog]") {
  std::vector<CatalogModel> models;
  ImportMessage error;
  const bool ok = hn::parse_catalog_csv(hn_test::read_asset("demo/catalog.csv"), models, error);
  INFO(error.text());
  REQUIRE(ok);
  CHECK(models.size() == 18);

  const auto* hisense = find(models, "HISENSE-TLM26V68");
  REQUIRE(hisense);
  CHECK(hisense->category == Category::Tv);
  CHECK(hisense->brand == "海信");
  CHECK(hisense->name == "液晶彩电");
  CHECK(hisense->spec == "26英寸 LCD");
  CHECK(hisense->max_price == 199900);
  CHECK(hisense->valid_from == Date{2008, 12, 1});
  CHECK_FALSE(hisense->valid_to);

  const auto* skyworth = find(models, "SKYWORTH-21TI9000");
  REQUIRE(skyworth);
  CHECK(skyworth->spec == "21英寸 CRT, 纯平");  // quoted field with a comma
  REQUIRE(skyworth->valid_to);
  CHECK(*skyworth->valid_to == Date{2009, 11, 30});

  const auto* freezer = find(models, "MIDEA-BCBD-145KM");
  REQUIRE(freezer);
  CHECK(freezer->category == Category::Fridge);  // 冰柜 is in the fridge category
  CHECK(freezer->spec == "145升 卧式, 冷藏冷冻转换");

  const auto* computer = find(models, "LENOVO-JIAYUE-E2630");
  REQUIRE(computer);
  CHECK(computer->category == Category::Computer);
  CHECK(computer->max_price == 349900);
}

TEST_CASE("a minimal catalog imports field by field", "[catalog]") {
  std::vector<CatalogModel> models;
  ImportMessage error;
  REQUIRE(hn::parse_catalog_csv(kHeader + kRowTv + kRowFridge, models, error));
  REQUIRE(models.size() == 2);
  CHECK(models[1].model_code == "HAIER-BCD-186KB");
  CHECK(models[1].category == Category::Fridge);
  CHECK(models[1].max_price == 179900);
  REQUIRE(models[1].valid_to);
  CHECK(*models[1].valid_to == Date{2009, 11, 30});
}

TEST_CASE("catalog fields are trimmed of surrounding spaces", "[catalog]") {
  std::vector<CatalogModel> models;
  ImportMessage error;
  REQUIRE(hn::parse_catalog_csv(
      kHeader + " TCL-L22E9 , tv , TCL , 液晶彩电 , 22英寸 , 1699.00 , 2008-12-01 , \n", models,
      error));
  REQUIRE(models.size() == 1);
  CHECK(models[0].model_code == "TCL-L22E9");
  CHECK(models[0].brand == "TCL");
  CHECK(models[0].max_price == 169900);
  CHECK_FALSE(models[0].valid_to);
}

TEST_CASE("a catalog with the wrong header is refused on line 1", "[catalog]") {
  const auto e =
      import_fails("model,category,brand,name,spec,max_price,valid_from,valid_to\n" + kRowTv);
  CHECK(e.line == 1);
  CHECK(e.field.empty());
  CHECK_THAT(e.message_en, Catch::Contains("header"));
}

TEST_CASE("an unknown category is refused with its line and field", "[catalog]") {
  const auto e =
      third_row_fails("YAMAHA-JYM125,motorcycle,雅马哈,摩托车,125cc,5999.00,2008-12-01,");
  CHECK(e.line == 4);
  CHECK(e.field == "category");
  CHECK_THAT(e.message_en, Catch::Contains("'motorcycle'"));
}

TEST_CASE("a malformed bid price is refused with its line and field", "[catalog]") {
  for (const char* price : {"1999.999", "1999.00元", "abc", "-1", ""}) {
    INFO(price);
    const auto e =
        third_row_fails(std::string("TCL-L22E9,tv,TCL,液晶彩电,22英寸,") + price + ",2008-12-01,");
    CHECK(e.line == 4);
    CHECK(e.field == "max_price");
  }
}

TEST_CASE("a zero bid price is refused", "[catalog]") {
  const auto e = third_row_fails("TCL-L22E9,tv,TCL,液晶彩电,22英寸,0.00,2008-12-01,");
  CHECK(e.line == 4);
  CHECK(e.field == "max_price");
}

TEST_CASE("a bad valid_from date is refused with its line and field", "[catalog]") {
  for (const char* date : {"2008-13-01", "2008-12-1", "2009-02-29", ""}) {
    INFO(date);
    const auto e =
        third_row_fails(std::string("TCL-L22E9,tv,TCL,液晶彩电,22英寸,1699.00,") + date + ",");
    CHECK(e.line == 4);
    CHECK(e.field == "valid_from");
  }
}

TEST_CASE("a bad valid_to date is refused with its line and field", "[catalog]") {
  const auto e = third_row_fails("TCL-L22E9,tv,TCL,液晶彩电,22英寸,1699.00,2008-12-01,2009-02-29");
  CHECK(e.line == 4);
  CHECK(e.field == "valid_to");
}

TEST_CASE("valid_to before valid_from is refused", "[catalog]") {
  const auto e = third_row_fails("TCL-L22E9,tv,TCL,液晶彩电,22英寸,1699.00,2008-12-01,2008-11-30");
  CHECK(e.line == 4);
  CHECK(e.field == "valid_to");
  CHECK_THAT(e.message_en, Catch::Contains("2008-11-30") && Catch::Contains("2008-12-01"));
}

TEST_CASE("a model valid for a single day is accepted", "[catalog]") {
  std::vector<CatalogModel> models;
  ImportMessage error;
  CHECK(hn::parse_catalog_csv(
      kHeader + "TCL-L22E9,tv,TCL,液晶彩电,22英寸,1699.00,2008-12-01,2008-12-01\n", models, error));
}

TEST_CASE("a model listed twice is refused on its second line", "[catalog]") {
  const auto e =
      third_row_fails("HISENSE-TLM26V68,tv,海信,液晶彩电,32英寸 LCD,1899.00,2008-12-01,");
  CHECK(e.line == 4);
  CHECK(e.field == "model_code");
  CHECK_THAT(e.message_en, Catch::Contains("HISENSE-TLM26V68"));
}

TEST_CASE("a row with the wrong number of fields is refused with its line", "[catalog]") {
  const auto short_row = third_row_fails("TCL-L22E9,tv,TCL,液晶彩电,22英寸,1699.00,2008-12-01");
  CHECK(short_row.line == 4);
  CHECK(short_row.field.empty());
  CHECK_THAT(short_row.message_en, Catch::Contains("expected 8 fields, found 7"));
  // An unquoted comma in the spec makes nine fields.
  const auto long_row =
      third_row_fails("TCL-L22E9,tv,TCL,液晶彩电,22英寸, LCD,1699.00,2008-12-01,");
  CHECK(long_row.line == 4);
  CHECK_THAT(long_row.message_en, Catch::Contains("found 9"));
}

TEST_CASE("an invalid model code is refused", "[catalog]") {
  const auto e = third_row_fails("TCL L22E9,tv,TCL,液晶彩电,22英寸,1699.00,2008-12-01,");
  CHECK(e.line == 4);
  CHECK(e.field == "model_code");
}

TEST_CASE("an empty brand or name is refused", "[catalog]") {
  const auto brand = third_row_fails("TCL-L22E9,tv,,液晶彩电,22英寸,1699.00,2008-12-01,");
  CHECK(brand.line == 4);
  CHECK(brand.field == "brand");
  const auto name = third_row_fails("TCL-L22E9,tv,TCL, ,22英寸,1699.00,2008-12-01,");
  CHECK(name.line == 4);
  CHECK(name.field == "name");
}

TEST_CASE("line numbers count blank lines and the header", "[catalog]") {
  const auto e = import_fails(kHeader + "\n" + kRowTv + "\n" +
                              "TCL-L22E9,tv,TCL,液晶彩电,22英寸,9.999,2008-12-01,\n");
  CHECK(e.line == 5);
  CHECK(e.field == "max_price");
}

TEST_CASE("a failed catalog import hands back no models", "[catalog]") {
  // catalog.hpp: "All rows or none". Two good rows, then a bad one: nothing may be returned,
  // so a caller that forgets the result cannot import half a catalog.
  std::vector<CatalogModel> out;
  ImportMessage error;
  CHECK_FALSE(hn::parse_catalog_csv(
      kHeader + kRowTv + kRowFridge + "TCL-L22E9,tv,TCL,液晶彩电,22英寸,abc,2008-12-01,\n", out,
      error));
  CHECK(error.line == 4);
  CHECK(out.empty());
}

TEST_CASE("a catalog with a header and no models is refused", "[catalog]") {
  const auto e = import_fails(kHeader);
  CHECK(e.line == 0);
}

TEST_CASE("a catalog saved as GBK is refused with a UTF-8 hint", "[catalog]") {
  const auto e =
      import_fails(kHeader + kRowTv + "TCL-L22E9,tv,TCL,\xD2\xBA\xBE\xA7,22,1699.00,2008-12-01,\n");
  CHECK(e.line == 3);
  CHECK_THAT(e.message_en, Catch::Contains("UTF-8"));
}

TEST_CASE("a model with an empty valid_to is valid without end", "[catalog]") {
  CatalogModel m;
  m.valid_from = Date{2008, 12, 1};
  CHECK(m.valid_on(Date{2008, 12, 1}));
  CHECK(m.valid_on(Date{2199, 12, 31}));
  CHECK_FALSE(m.valid_on(Date{2008, 11, 30}));
}

TEST_CASE("a model is valid on its first and last day and not a day outside", "[catalog]") {
  CatalogModel m;
  m.valid_from = Date{2008, 12, 1};
  m.valid_to = Date{2009, 11, 30};
  CHECK_FALSE(m.valid_on(Date{2008, 11, 30}));
  CHECK(m.valid_on(Date{2008, 12, 1}));
  CHECK(m.valid_on(Date{2009, 6, 15}));
  CHECK(m.valid_on(Date{2009, 11, 30}));
  CHECK_FALSE(m.valid_on(Date{2009, 12, 1}));
}

TEST_CASE("the catalog finds models by code and a re-put replaces the model", "[catalog]") {
  hn::Catalog catalog;
  CatalogModel m;
  m.model_code = "TCL-L22E9";
  m.max_price = 169900;
  catalog.put(m);
  m.max_price = 159900;
  catalog.put(m);
  CHECK(catalog.size() == 1);
  REQUIRE(catalog.find("TCL-L22E9"));
  CHECK(catalog.find("TCL-L22E9")->max_price == 159900);
  CHECK(catalog.find("tcl-l22e9") == nullptr);
  CHECK(catalog.find("") == nullptr);
}

TEST_CASE("category codes are the ones the files use", "[catalog]") {
  CHECK(hn::category_code(Category::Tv) == "tv");
  CHECK(hn::category_code(Category::Fridge) == "fridge");
  CHECK(hn::category_code(Category::Phone) == "phone");
  CHECK(hn::category_code(Category::Washer) == "washer");
  CHECK(hn::category_code(Category::Computer) == "computer");
  CHECK(hn::category_code(Category::WaterHeater) == "water_heater");
  CHECK(hn::category_code(Category::AirConditioner) == "air_conditioner");
  CHECK(hn::category_code(Category::Microwave) == "microwave");
  CHECK(hn::category_code(Category::InductionCooker) == "induction_cooker");
  for (Category c : hn::kAllCategories) CHECK(hn::parse_category(hn::category_code(c)) == c);
}

TEST_CASE("unknown or differently spelt category codes do not parse", "[catalog]") {
  CHECK_FALSE(hn::parse_category("motorcycle"));  // POLICY R2: sold through another channel
  CHECK_FALSE(hn::parse_category("TV"));
  CHECK_FALSE(hn::parse_category(""));
  CHECK_FALSE(hn::parse_category("freezer"));  // a freezer is a fridge
}

TEST_CASE("categories have Chinese and English names", "[catalog]") {
  CHECK(hn::category_name_zh(Category::Tv) == "彩电");
  CHECK(hn::category_name_zh(Category::Fridge) == "冰箱(含冰柜)");
  CHECK(hn::category_name_zh(Category::InductionCooker) == "电磁炉");
  CHECK(hn::category_name_en(Category::Tv) == "TV");
  CHECK(hn::category_name_en(Category::Washer) == "washing machine");
}

TEST_CASE("model codes are 1-64 letters, digits and - _ . /", "[catalog]") {
  CHECK(hn::is_valid_model_code("HAIER-BCD-186KB"));
  CHECK(hn::is_valid_model_code("KFR-26GW/A.1_x"));
  CHECK(hn::is_valid_model_code(std::string(64, 'A')));
  CHECK_FALSE(hn::is_valid_model_code(std::string(65, 'A')));
  CHECK_FALSE(hn::is_valid_model_code(""));
  CHECK_FALSE(hn::is_valid_model_code("TCL L22E9"));
  CHECK_FALSE(hn::is_valid_model_code("海信32"));
}

TEST_CASE("an import message reads with its row and field in both languages", "[catalog]") {
  const ImportMessage with_field{3, "max_price", "无效", "invalid"};
  CHECK(with_field.text() == "第 3 行 最高限价: 无效 / row 3, max_price: invalid");
  const ImportMessage row_only{7, "", "字段数不对", "wrong field count"};
  CHECK(row_only.text() == "第 7 行: 字段数不对 / row 7: wrong field count");
  const ImportMessage whole_file{0, "", "空文件", "empty file"};
  CHECK(whole_file.text() == "空文件 / empty file");
}
