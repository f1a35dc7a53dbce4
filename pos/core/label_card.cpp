#include "core/label_card.hpp"

#include <set>
#include <utility>

#include "core/text.hpp"

namespace hn {

namespace {
bool is_alnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
}  // namespace

bool is_valid_card_no(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s)
    if (!is_alnum(c) && c != '-') return false;
  return true;
}

bool is_valid_serial_no(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!is_alnum(c) && c != '-' && c != '_' && c != '/' && c != '.') return false;
  return true;
}

bool check_card_receipt_row(const CardReceiptRow& r, const Catalog& catalog, ImportMessage& error, bool with_serial) {
  auto bad = [&](const char* field, std::string zh, std::string en) {
    error = {0, field, std::move(zh), std::move(en)};
    return false;
  };
  if (!is_valid_card_no(r.card_no))
    return bad("card_no", "标识卡号 " + quote_for_message(r.card_no) + " 无效:1-32 位字母、数字或 -",
               "card number " + quote_for_message(r.card_no) + " is invalid: 1-32 letters, digits or -");
  if (with_serial && !is_valid_serial_no(r.serial_no))
    return bad("serial_no", "产品序列号 " + quote_for_message(r.serial_no) + " 无效:1-64 位字母、数字或 - _ / .",
               "serial number " + quote_for_message(r.serial_no) + " is invalid: 1-64 letters, digits or - _ / .");
  // POLICY R1: only a model of the winning-bid catalog carries a label card.
  if (!catalog.find(r.model_code))
    return bad("model_code", "型号 " + quote_for_message(r.model_code) + " 不在中标产品目录中:请先导入目录",
               "model " + quote_for_message(r.model_code) + " is not in the catalog: import the catalog first");
  return true;
}

bool parse_card_batch_csv(std::string_view text, const Catalog& catalog,
                          std::vector<CardReceiptRow>& out, ImportMessage& error) {
  out.clear();
  std::vector<CardReceiptRow> rows;  // handed out only when every row is good
  CsvTable table;
  CsvError csv_error;
  if (!parse_csv(text, table, csv_error)) {
    error = {csv_error.line, "", csv_error.what_zh, csv_error.what_en};
    return false;
  }
  if (joined_header(table.header) != kCardBatchHeader) {
    error = {1, "", "表头不对,应为 " + std::string(kCardBatchHeader),
             "wrong header; it must be " + std::string(kCardBatchHeader)};
    return false;
  }
  std::set<std::string, std::less<>> cards;
  std::set<std::pair<std::string, std::string>> serials;
  auto bad = [&](int line, const char* field, std::string zh, std::string en) {
    error = {line, field, std::move(zh), std::move(en)};
    return false;
  };
  for (const auto& row : table.rows) {
    if (row.fields.size() != 3)
      return bad(row.line, "", "应有 3 个字段,实有 " + std::to_string(row.fields.size()) + " 个",
                 "expected 3 fields, found " + std::to_string(row.fields.size()));
    CardReceiptRow r{row.line, trim(row.fields[0]), trim(row.fields[1]), trim(row.fields[2])};
    ImportMessage wrong;
    if (!check_card_receipt_row(r, catalog, wrong)) return bad(row.line, wrong.field.c_str(), wrong.message_zh, wrong.message_en);
    if (!cards.insert(r.card_no).second)
      return bad(row.line, "card_no", "标识卡号 " + r.card_no + " 在文件中重复", "card " + r.card_no + " appears twice in the file");
    if (!serials.emplace(r.model_code, r.serial_no).second)
      return bad(row.line, "serial_no", "型号 " + r.model_code + " 的序列号 " + r.serial_no + " 在文件中重复",
                 "serial " + r.serial_no + " of model " + r.model_code + " appears twice in the file");
    rows.push_back(std::move(r));
  }
  if (rows.empty()) {
    error = {0, "", "文件只有表头,没有标识卡", "the file has a header but no cards"};
    return false;
  }
  out = std::move(rows);
  return true;
}

}  // namespace hn
