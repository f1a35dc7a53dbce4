#include "platform/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "core/text.hpp"

namespace hn::platform::files {

namespace {
constexpr std::uint64_t kKiB = 1024;
constexpr std::uint64_t kMiB = 1024 * kKiB;
}  // namespace

const Limit& limit_of(Kind kind) {
  // A real file of each kind is far below its limit: the province's whole catalog is well under
  // 1 MB, a goods receipt of 100,000 cards about 6 MB, a policy phase or a holiday calendar a
  // few KB, a terminal's audit export about 1 KB an event (years of a busy shop below the
  // limit), a camera frame or a 600 dpi scan a few MB, a key or certificate a few KB.
  static const Limit kCatalog{8 * kMiB, "中标产品目录文件", "a catalog file"};
  static const Limit kCards{32 * kMiB, "标识卡收货文件", "a goods receipt file"};
  static const Limit kPolicy{64 * kKiB, "补贴政策文件", "a policy file"};
  static const Limit kCalendar{64 * kKiB, "节假日文件", "a holiday calendar"};
  static const Limit kBundle{256 * kMiB, "审计导出文件", "an audit export file"};
  static const Limit kImage{32 * kMiB, "图像文件", "an image file"};
  static const Limit kCredential{64 * kKiB, "密钥或证书文件", "a key or certificate file"};
  static const Limit kRegions{1 * kMiB, "行政区划代码表", "the table of county codes"};
  switch (kind) {
    case Kind::CatalogCsv: return kCatalog;
    case Kind::CardsCsv: return kCards;
    case Kind::PolicyIni: return kPolicy;
    case Kind::HolidayCalendar: return kCalendar;
    case Kind::AuditBundle: return kBundle;
    case Kind::Image: return kImage;
    case Kind::Credential: return kCredential;
    case Kind::RegionTable: return kRegions;
  }
  return kCredential;
}

std::string format_size(std::uint64_t bytes) {
  auto in = [&](std::uint64_t unit, const char* name) {
    const std::uint64_t whole = bytes / unit, tenth = bytes % unit * 10 / unit;
    return std::to_string(whole) + (tenth ? "." + std::to_string(tenth) : "") + " " + name;
  };
  if (bytes >= kMiB) return in(kMiB, "MB");
  if (bytes >= kKiB) return in(kKiB, "KB");
  return std::to_string(bytes) + " bytes";
}

namespace {

// A path in a message: escaped, and cut only when past any real one's length.
std::string shown(const std::string& path) { return quote_for_message(path, 160); }

ReadError unreadable(const std::string& path, int err) {
  const std::string why = std::strerror(err);
  return {"FILE_UNREADABLE",
          "无法读取文件 " + shown(path) + "(" + why + "):请检查路径和权限",
          "cannot read the file " + shown(path) + " (" + why + "): check the path and permissions"};
}

ReadError too_large(const std::string& path, const Limit& limit, const std::string& size_zh,
                    const std::string& size_en) {
  const std::string max = format_size(limit.max_bytes);
  return {"FILE_TOO_LARGE",
          "文件 " + shown(path) + size_zh + "超过" + limit.what_zh + "的上限 " + max +
              ":请确认选对了文件(较大的收货或目录可分成几个文件导入)",
          "the file " + shown(path) + size_en + " is larger than the " + max + " " +
              limit.what_en + " may have: check that it is the right file (a large goods receipt or "
              "catalog can be split into several files)"};
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::optional<ReadError> read_file(const std::string& path, Kind kind, std::string& out) {
  const Limit& limit = limit_of(kind);
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)};
  if (f.fd < 0) return unreadable(path, errno);
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return unreadable(path, errno);
  if (!S_ISREG(st.st_mode))
    return ReadError{"FILE_NOT_REGULAR",
                     shown(path) + " 不是普通文件(而是设备、管道或目录):请给出" + limit.what_zh,
                     shown(path) + " is not a regular file (a device, a pipe or a directory): give " +
                         limit.what_en};
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > limit.max_bytes)
    return too_large(path, limit, " 有 " + format_size(size) + ",", " has " + format_size(size) + ", which");
  // Back to blocking reads (a regular file ignores the flag; this keeps it so on any system).
  const int flags = ::fcntl(f.fd, F_GETFL);
  if (flags >= 0) ::fcntl(f.fd, F_SETFL, flags & ~O_NONBLOCK);
  std::string text;
  text.resize(static_cast<std::size_t>(size) + 1);  // one byte more: the size may have lied
  std::size_t done = 0;
  for (;;) {
    if (done == text.size()) {
      if (done > limit.max_bytes)
        return too_large(path, limit, " ", "");  // grew past the limit while being read
      text.resize(std::min<std::uint64_t>(text.size() * 2, limit.max_bytes + 1));
    }
    const ssize_t n = ::read(f.fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return unreadable(path, errno);
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  text.resize(done);
  out = std::move(text);
  return std::nullopt;
}

}  // namespace hn::platform::files
