#include "printer/gb18030.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

namespace hn::printer {

namespace {

class Converter {
 public:
  Converter(const char* to, const char* from) : cd_(iconv_open(to, from)) {
    if (cd_ == reinterpret_cast<iconv_t>(-1))
      throw std::runtime_error(std::string("iconv cannot convert ") + from + " to " + to);
  }
  ~Converter() { iconv_close(cd_); }
  Converter(const Converter&) = delete;
  Converter& operator=(const Converter&) = delete;

  // Converts all of `in`; at an invalid or incomplete sequence calls `bad(out)` and skips
  // `skip` bytes, or stops (returns false) when skip is 0.
  template <class OnBad>
  bool run(std::string_view in, std::string& out, std::size_t skip, OnBad&& bad) {
    iconv(cd_, nullptr, nullptr, nullptr, nullptr);
    char* src = const_cast<char*>(in.data());
    std::size_t left = in.size();
    char buf[1024];
    while (left > 0) {
      char* dst = buf;
      std::size_t room = sizeof buf;
      const std::size_t r = iconv(cd_, &src, &left, &dst, &room);
      out.append(buf, static_cast<std::size_t>(dst - buf));
      if (r != static_cast<std::size_t>(-1)) continue;
      if (errno == E2BIG) continue;
      if (skip == 0) return false;
      bad(out);
      const std::size_t n = std::min(skip, left);
      src += n;
      left -= n;
    }
    char* dst = buf;
    std::size_t room = sizeof buf;
    iconv(cd_, nullptr, nullptr, &dst, &room);
    out.append(buf, static_cast<std::size_t>(dst - buf));
    return true;
  }

 private:
  iconv_t cd_;
};

}  // namespace

std::optional<std::string> utf8_to_gb18030(std::string_view utf8) {
  Converter c("GB18030", "UTF-8");
  std::string out;
  if (!c.run(utf8, out, 0, [](std::string&) {})) return std::nullopt;
  return out;
}

std::string gb18030_to_utf8(std::string_view gb, bool* clean) {
  Converter c("UTF-8", "GB18030");
  std::string out;
  bool ok = true;
  c.run(gb, out, 1, [&](std::string& o) {
    o += "\xEF\xBF\xBD";
    ok = false;
  });
  if (clean) *clean = ok;
  return out;
}

}  // namespace hn::printer
