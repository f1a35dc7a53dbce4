#include "core/catalog.hpp"

#include <set>
#include <tuple>

#include "core/text.hpp"

namespace hn {

namespace {
struct CategoryNames {
  Category category;
  std::string_view code, zh, en;
};
constexpr CategoryNames kNames[] = {
    {Category::Tv, "tv", "彩电", "TV"},
    {Category::Fridge, "fridge", "冰箱(含冰柜)", "fridge/freezer"},
    {Category::Phone, "phone", "手机", "mobile phone"},
    {Category::Washer, "washer", "洗衣机", "washing machine"},
    {Category::Computer, "computer", "电脑", "computer"},
    {Category::WaterHeater, "water_heater", "热水器", "water heater"},
    {Category::AirConditioner, "air_conditioner", "空调", "air conditioner"},
    {Category::Microwave, "microwave", "微波炉", "microwave oven"},
    {Category::InductionCooker, "induction_cooker", "电磁炉", "induction cooker"},
};

const CategoryNames& names(Category c) { return kNames[static_cast<int>(c)]; }
}  // namespace

std::string_view category_code(Category c) { return names(c).code; }
std::string_view category_name_zh(Category c) { return names(c).zh; }
std::string_view category_name_en(Category c) { return names(c).en; }

std::optional<Category> parse_category(std::string_view code) {
  for (const auto& n : kNames)
    if (n.code == code) return n.category;
  return std::nullopt;
}

void Catalog::put(CatalogModel m) {
  auto key = m.model_code;
  models_.insert_or_assign(std::move(key), std::move(m));
}

const CatalogModel* Catalog::find(std::string_view model_code) const {
  const auto it = models_.find(model_code);
  return it == models_.end() ? nullptr : &it->second;
}

std::string ImportMessage::where_zh() const {
  std::string zh = line > 0 ? "第 " + std::to_string(line) + " 行" : "";
  if (!field.empty()) zh += (zh.empty() ? "" : " ") + field_name_zh(field);
  return zh.empty() ? zh : zh + ": ";
}

std::string ImportMessage::where_en() const {
  std::string en = line > 0 ? "row " + std::to_string(line) : "";
  if (!field.empty()) en += (en.empty() ? "" : ", ") + field;
  return en.empty() ? en : en + ": ";
}

std::string ImportMessage::text() const {
  return where_zh() + message_zh + " / " + where_en() + message_en;
}

bool is_valid_model_code(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (char c : code) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '/';
    if (!ok) return false;
  }
  return true;
}

TextCheck check_catalog_text(const CatalogModel& m) {
  for (const auto& [field, value, kind] :
       {std::tuple<const char*, const std::string&, TextKind>{"brand", m.brand, TextKind::Brand},
        {"name", m.name, TextKind::ProductName},
        {"spec", m.spec, TextKind::Spec}}) {
    auto check = check_text(field, value, kind);
    if (!check.ok()) return check;
  }
  return {};
}

ImportMessage import_message(int line, const TextCheck& check) {
  return {line, check.field, check.message_zh(), check.message_en(), check.code()};
}

bool parse_catalog_csv(std::string_view text, std::vector<CatalogModel>& out,
                       ImportMessage& error) {
  out.clear();
  std::vector<CatalogModel> models;  // handed out only when every row is good
  CsvTable table;
  CsvError csv_error;
  if (!parse_csv(text, table, csv_error)) {
    error = {csv_error.line, "", csv_error.what_zh, csv_error.what_en};
    return false;
  }
  if (joined_header(table.header) != kCatalogHeader) {
    error = {1, "", "表头不对,应为 " + std::string(kCatalogHeader),
             "wrong header; it must be " + std::string(kCatalogHeader)};
    return false;
  }
  std::set<std::string, std::less<>> seen;
  auto bad = [&](int line, const char* field, std::string zh, std::string en) {
    error = {line, field, std::move(zh), std::move(en)};
    return false;
  };
  for (const auto& row : table.rows) {
    if (row.fields.size() != 8)
      return bad(row.line, "", "应有 8 个字段,实有 " + std::to_string(row.fields.size()) + " 个",
                 "expected 8 fields, found " + std::to_string(row.fields.size()));
    CatalogModel m;
    m.model_code = trim(row.fields[0]);
    if (!is_valid_model_code(m.model_code))
      return bad(row.line, "model_code", "型号代码 " + quote_for_message(m.model_code) + " 无效:只能用字母、数字和 - _ . /,最长 64 个字符",
                 "model code " + quote_for_message(m.model_code) + " is invalid: use letters, digits and - _ . /, at most 64 characters");
    if (!seen.insert(m.model_code).second)
      return bad(row.line, "model_code", "型号 " + m.model_code + " 在文件中重复:每个型号只能出现一次",
                 "model " + m.model_code + " appears twice in the file: list each model once");
    const auto cat_text = trim(row.fields[1]);
    const auto cat = parse_category(cat_text);
    if (!cat)
      return bad(row.line, "category", "未知品类 " + quote_for_message(cat_text) + ":可用 tv fridge phone washer computer water_heater air_conditioner microwave induction_cooker",
                 "unknown category " + quote_for_message(cat_text) + ": use tv fridge phone washer computer water_heater air_conditioner microwave induction_cooker");
    m.category = *cat;
    m.brand = trim(row.fields[2]);
    m.name = trim(row.fields[3]);
    m.spec = trim(row.fields[4]);
    if (m.brand.empty()) return bad(row.line, "brand", "品牌不能为空", "brand must not be empty");
    if (m.name.empty()) return bad(row.line, "name", "品名不能为空", "name must not be empty");
    if (const auto checked = check_catalog_text(m); !checked.ok()) {
      error = import_message(row.line, checked);
      return false;
    }
    const auto price_text = trim(row.fields[5]);
    const auto price = parse_yuan(price_text);
    if (!price || *price == 0)
      return bad(row.line, "max_price", "中标价格 " + quote_for_message(price_text) + " 无效:请写元,最多两位小数,例如 1999.00",
                 "bid price " + quote_for_message(price_text) + " is invalid: write yuan with up to two decimals, e.g. 1999.00");
    m.max_price = *price;
    const auto from_text = trim(row.fields[6]);
    const auto from = parse_iso_date(from_text);
    if (!from)
      return bad(row.line, "valid_from", "日期 " + quote_for_message(from_text) + " 无效:请用 YYYY-MM-DD 格式的真实日期",
                 "date " + quote_for_message(from_text) + " is invalid: use a real date as YYYY-MM-DD");
    m.valid_from = *from;
    const auto to_text = trim(row.fields[7]);
    if (!to_text.empty()) {
      const auto to = parse_iso_date(to_text);
      if (!to)
        return bad(row.line, "valid_to", "日期 " + quote_for_message(to_text) + " 无效:请用 YYYY-MM-DD 格式的真实日期,或留空表示长期有效",
                   "date " + quote_for_message(to_text) + " is invalid: use a real date as YYYY-MM-DD, or leave it empty for no end");
      if (*to < *from)
        return bad(row.line, "valid_to", "有效期止 " + to_text + " 早于有效期起 " + from_text,
                   "valid_to " + to_text + " is before valid_from " + from_text);
      m.valid_to = *to;
    }
    models.push_back(std::move(m));
  }
  if (models.empty()) {
    error = {0, "", "文件只有表头,没有型号", "the file has a header but no models"};
    return false;
  }
  out = std::move(models);
  return true;
}

}  // namespace hn
