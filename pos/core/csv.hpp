#pragma once
// RFC 4180 CSV, UTF-8 only. Parsing never throws: problems come back as values with the
// line they were found on, so an import can refuse the whole file with a useful message.
#include <string>
#include <string_view>
#include <vector>

namespace hn {

struct CsvRow {
  int line = 0;  // 1-based line number of the row's first line in the file
  std::vector<std::string> fields;
};

struct CsvError {
  int line = 0;
  std::string what_zh;
  std::string what_en;
};

struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRow> rows;  // data rows; blank lines are skipped
};

// A leading UTF-8 BOM is dropped; CRLF and LF both end rows. Fails on invalid UTF-8 (the
// usual cause is a file saved as GBK), an unterminated quote, or an empty file.
bool parse_csv(std::string_view text, CsvTable& out, CsvError& error);

// The header fields trimmed and joined by commas, to compare with an expected header.
std::string joined_header(const std::vector<std::string>& header);

// One CSV field as written by us: quoted when it holds a comma, quote or line break.
std::string csv_field(std::string_view value);

}  // namespace hn
