#pragma once
// RFC 4180 CSV, UTF-8 only. Parsing never throws: problems come back as values with the
// line they were found on, so an import can refuse the whole file with a useful message.
#include <cstddef>
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

// What one row of a file we import may hold: the files are short tables (a catalog row, a
// label card), so a field or a row past these is a wrong or hostile file, not a long name.
inline constexpr std::size_t kMaxCsvFieldBytes = 4096;
inline constexpr std::size_t kMaxCsvRowBytes = 16384;
inline constexpr std::size_t kMaxCsvFields = 64;

// A leading UTF-8 BOM is dropped; CRLF and LF both end rows. Fails on invalid UTF-8 (the
// usual cause is a file saved as GBK), an unterminated quote, an empty file, or a field, a row
// or a number of fields past the limits above.
bool parse_csv(std::string_view text, CsvTable& out, CsvError& error);

// The header fields trimmed and joined by commas, to compare with an expected header.
std::string joined_header(const std::vector<std::string>& header);

// One CSV field as written by us: quoted when it holds a comma, quote or line break.
std::string csv_field(std::string_view value);

}  // namespace hn
