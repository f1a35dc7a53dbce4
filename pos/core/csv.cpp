#include "core/csv.hpp"

#include "core/text.hpp"

namespace hn {

bool parse_csv(std::string_view text, CsvTable& out, CsvError& error) {
  out = {};
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (!is_valid_utf8(text)) {
    // Find the line for the message: the first line that is not valid UTF-8.
    int line = 1;
    std::size_t start = 0;
    while (start < text.size()) {
      auto end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      if (!is_valid_utf8(text.substr(start, end - start))) break;
      start = end + 1;
      ++line;
    }
    error = {line, "文件不是 UTF-8 编码(可能是 GBK):请用 UTF-8 另存后再导入",
             "the file is not UTF-8 (perhaps GBK): save it as UTF-8 and import again"};
    return false;
  }
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  bool in_quotes = false;
  bool after_quote = false;  // a quoted field just closed: only , or a line end may follow
  bool field_started = false;  // distinguishes an empty line from a line with one empty field
  int line = 1;
  row.line = 1;
  std::size_t row_start = 0;  // where the current row began, for its length
  auto too_big = [&](const std::string& zh, const std::string& en) {
    error = {row.line, zh, en};
    return false;
  };
  auto end_row = [&]() {
    row.fields.push_back(std::move(field));
    field.clear();
    const bool blank = row.fields.size() == 1 && row.fields[0].empty() && !field_started;
    if (!blank) rows.push_back(std::move(row));
    row = CsvRow{};
    field_started = false;
  };
  // Checked before each byte and once more at the end: a row never grows past its limits.
  auto within_limits = [&](std::size_t i) {
    if (field.size() > kMaxCsvFieldBytes)
      return too_big("有一个字段超过 " + std::to_string(kMaxCsvFieldBytes) + " 字节:请检查是否选错了文件或引号没有闭合",
                     "a field is longer than " + std::to_string(kMaxCsvFieldBytes) +
                         " bytes: check that this is the right file and that every quote is closed");
    if (i - row_start > kMaxCsvRowBytes)
      return too_big("这一行超过 " + std::to_string(kMaxCsvRowBytes) + " 字节:请检查是否选错了文件或引号没有闭合",
                     "the row is longer than " + std::to_string(kMaxCsvRowBytes) +
                         " bytes: check that this is the right file and that every quote is closed");
    if (row.fields.size() >= kMaxCsvFields)
      return too_big("这一行超过 " + std::to_string(kMaxCsvFields) + " 个字段:请检查是否选错了文件",
                     "the row has more than " + std::to_string(kMaxCsvFields) + " fields: check that this is the right file");
    return true;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!within_limits(i)) return false;
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
          after_quote = true;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (after_quote && c != ',' && c != '\n' && c != '\r') {
      error = {line, "引号闭合后只能是逗号或换行:请检查这一行的引号",
               "after a closing quote only a comma or a line end may follow: check the quotes on this line"};
      return false;
    }
    after_quote = false;
    switch (c) {
      case '"':
        if (!field.empty()) {
          error = {line, "引号只能出现在字段开头:请检查这一行的引号",
                   "a quote may only open a field: check the quotes on this line"};
          return false;
        }
        in_quotes = true;
        field_started = true;
        break;
      case ',':
        row.fields.push_back(std::move(field));
        field.clear();
        field_started = true;
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') break;
        field += c;
        break;
      case '\n':
        end_row();
        ++line;
        row.line = line;
        row_start = i + 1;
        break;
      default:
        field += c;
        field_started = true;
    }
  }
  if (!within_limits(text.size())) return false;
  if (in_quotes) {
    error = {row.line, "引号没有闭合:请检查这一行", "a quoted field is not closed: check this row"};
    return false;
  }
  if (field_started || !field.empty()) end_row();
  if (rows.empty()) {
    error = {0, "文件是空的:至少需要表头一行", "the file is empty: it needs at least the header row"};
    return false;
  }
  out.header = std::move(rows.front().fields);
  rows.erase(rows.begin());
  out.rows = std::move(rows);
  return true;
}

std::string joined_header(const std::vector<std::string>& header) {
  std::string out;
  for (std::size_t i = 0; i < header.size(); ++i) out += (i ? "," : "") + trim(header[i]);
  return out;
}

std::string csv_field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace hn
