#pragma once
// Reading a file someone names (an import, an audit bundle, a picture to decode) with a size
// limit fitting its kind, checked before reading: `catalog import /dev/zero` or a 20 GB file must
// be a clear error, never a terminal that eats the machine's memory. The one reader of such
// files for the CLI, the counter screen and hardware/imaging; the limits are all here.
//
// Built as its own small library of the platform (huinong_files: core, the standard library and
// POSIX) so that hardware/imaging can use it without the use cases, SQLite or OpenSSL.
#include <cstdint>
#include <optional>
#include <string>

#include "platform/error.hpp"

namespace hn::platform::files {

enum class Kind {
  CatalogCsv,       // 中标产品目录
  CardsCsv,         // a goods receipt: label cards and serials
  PolicyIni,        // a policy phase
  HolidayCalendar,  // assets/calendar/*.txt
  RegionTable,      // assets/regions/counties.tsv (GB/T 2260)
  AuditBundle,      // an `audit export` file (verify, report merge)
  Image,            // a picture to decode (labels, invoice QR codes, ID documents)
  Credential,       // a key, certificate or credential file
};

struct Limit {
  std::uint64_t max_bytes;
  const char* what_zh;  // "中标产品目录文件"
  const char* what_en;  // "a catalog file"
};
const Limit& limit_of(Kind kind);

// The longest invoice QR text `audit check-invoice --text` takes (a real one has ~150).
inline constexpr std::size_t kMaxInvoiceQrBytes = 4096;

// Why a file was not read: FILE_UNREADABLE (missing, not permitted, read error),
// FILE_NOT_REGULAR (a device such as /dev/zero, a pipe, a directory), FILE_TOO_LARGE (over the
// kind's limit, with the limit in the message). Messages name the file (cut, escaped).
using ReadError = Error;

// Reads the whole regular file at `path` into `out` when it is within its kind's limit: the
// size is checked with fstat before reading, and at most limit + 1 bytes are read in case the
// size lies (a file growing meanwhile, a special file system). Opens without blocking, so a
// FIFO is refused rather than waited on. Nullopt when read; `out` is untouched on an error.
std::optional<ReadError> read_file(const std::string& path, Kind kind, std::string& out);

// "8 MB", "64 KB", "512 bytes": a size for messages.
std::string format_size(std::uint64_t bytes);

}  // namespace hn::platform::files

namespace hn {
// Callers have always said files::read_file.
namespace files = platform::files;
}  // namespace hn
