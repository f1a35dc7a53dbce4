#pragma once
// 中标产品目录: the winning-bid catalog of subsidised models (POLICY R1, R2).
#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.hpp"
#include "core/date.hpp"
#include "core/money.hpp"
#include "core/text.hpp"

namespace hn {

enum class Category {
  Tv,              // 彩电
  Fridge,          // 冰箱(含冰柜): fridges and freezers are one category
  Phone,           // 手机
  Washer,          // 洗衣机
  Computer,        // 电脑
  WaterHeater,     // 热水器
  AirConditioner,  // 空调
  Microwave,       // 微波炉
  InductionCooker, // 电磁炉
};

inline constexpr std::array<Category, 9> kAllCategories = {
    Category::Tv,          Category::Fridge,         Category::Phone,
    Category::Washer,      Category::Computer,       Category::WaterHeater,
    Category::AirConditioner, Category::Microwave,   Category::InductionCooker};

std::string_view category_code(Category c);  // "tv", "fridge", ...
std::optional<Category> parse_category(std::string_view code);
std::string_view category_name_zh(Category c);
std::string_view category_name_en(Category c);

struct CatalogModel {
  std::string model_code;
  Category category = Category::Tv;
  std::string brand;
  std::string name;
  std::string spec;
  Fen max_price = 0;  // 中标价格 / 最高限价: the per-model cap
  Date valid_from;
  std::optional<Date> valid_to;  // open-ended when absent

  bool valid_on(Date d) const { return valid_from <= d && (!valid_to || d <= *valid_to); }
};

class Catalog {
 public:
  void put(CatalogModel m);
  const CatalogModel* find(std::string_view model_code) const;
  std::size_t size() const { return models_.size(); }
  const std::map<std::string, CatalogModel, std::less<>>& models() const { return models_; }

 private:
  std::map<std::string, CatalogModel, std::less<>> models_;
};

// A problem with one row or field of an imported file, in both languages.
struct ImportMessage {
  int line = 0;           // 0 when it concerns the whole file
  std::string field;      // empty when it concerns the whole row or file
  std::string message_zh;
  std::string message_en;
  std::string code = {};  // a stable code when the problem has its own (TEXT_CONTROL_CHAR); else ""
  std::string text() const;  // "第 3 行 max_price: ... / row 3, max_price: ..."
  // Where the problem is, ending in ": " (empty for the whole file): "第 3 行 max_price: ".
  std::string where_zh() const;
  std::string where_en() const;
};

inline constexpr std::string_view kCatalogHeader =
    "model_code,category,brand,name,spec,max_price,valid_from,valid_to";

// Parses a catalog file (header kCatalogHeader). All rows or none: on the first bad row it
// returns false with that row's problem.
bool parse_catalog_csv(std::string_view text, std::vector<CatalogModel>& out,
                       ImportMessage& error);

bool is_valid_model_code(std::string_view code);

// The model's brand, name and spec as text that may enter the terminal (check_text): the first
// that is not, else an ok check. Every way a model comes in (the CSV file, the province's
// updates) calls this.
TextCheck check_catalog_text(const CatalogModel& model);

// An ImportMessage for a text check that failed on `line`: its code, the field named.
ImportMessage import_message(int line, const TextCheck& check);

}  // namespace hn
