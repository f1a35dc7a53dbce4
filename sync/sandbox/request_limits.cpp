#include "request_limits.hpp"

#include <cstdint>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

namespace hn::sandbox {

namespace {

// Counts depth and values as the parser meets them and stops it at the first limit passed;
// nothing of the body is kept.
class ShapeCheck final : public nlohmann::json_sax<nlohmann::json> {
 public:
  enum class Stop { None, TooDeep, TooMany };
  Stop stop() const { return stop_; }

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override { return open(); }
  bool key(string_t&) override { return true; }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  bool value() {
    if (++values_ <= kMaxJsonValues) return true;
    stop_ = Stop::TooMany;
    return false;
  }
  bool open() {
    if (!value()) return false;
    if (++depth_ <= kMaxJsonDepth) return true;
    stop_ = Stop::TooDeep;
    return false;
  }
  bool close() {
    --depth_;
    return true;
  }

  int depth_ = 0;
  std::size_t values_ = 0;
  Stop stop_ = Stop::None;
};

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// The length of the UTF-8 sequence at `s[i]` and its code point; 0 when it is not valid.
std::size_t utf8_at(std::string_view s, std::size_t i, char32_t& cp) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  std::size_t n = c < 0x80           ? 1
                  : (c >> 5) == 0x6  ? 2
                  : (c >> 4) == 0xE  ? 3
                  : (c >> 3) == 0x1E ? 4
                                     : 0;
  if (n == 0 || i + n > s.size()) return 0;
  cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  const char32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

bool printable(char32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return false;  // C0, DEL, C1
  // Line and paragraph separators and the bidirectional controls, which reorder what follows.
  if (cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
      (cp >= 0x2066 && cp <= 0x2069))
    return false;
  return true;
}

}  // namespace

Refusal body_too_large(std::size_t declared_bytes) {
  const std::string limit = std::to_string(kMaxBodyBytes);
  const std::string size = declared_bytes ? std::to_string(declared_bytes) + " " : "";
  return {413, "BODY_TOO_LARGE",
          "请求体 " + size + "字节,超过上限 " + limit + " 字节(4 MiB):请分成较小的批次上传",
          "the request body of " + size + "bytes is over the limit of " + limit +
              " bytes (4 MiB): upload in smaller batches"};
}

std::size_t declared_length(const std::string& content_length) {
  if (content_length.empty() || content_length.find_first_not_of("0123456789") != std::string::npos)
    return 0;
  if (content_length.size() > 15) return SIZE_MAX;
  return static_cast<std::size_t>(std::stoull(content_length));
}

std::optional<Refusal> check_body_form(const std::string& method,
                                       const std::string& transfer_encoding,
                                       const std::string& content_encoding,
                                       bool has_content_length) {
  const bool may_have_body =
      method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
  if (!transfer_encoding.empty() || (may_have_body && !has_content_length))
    return Refusal{411, "LENGTH_REQUIRED",
                   "请求体须带 Content-Length 发送(不接受分块传输 Transfer-Encoding)",
                   "a body must be sent with its Content-Length (Transfer-Encoding, chunked, is "
                   "not accepted)"};
  const std::string enc = lower(content_encoding);
  if (!enc.empty() && enc != "identity")
    return Refusal{415, "BAD_REQUEST", "请求体不得压缩(Content-Encoding):请发送 JSON 原文",
                   "a body must not be compressed (Content-Encoding): send the JSON itself"};
  return std::nullopt;
}

std::optional<Refusal> check_json_shape(std::string_view body) {
  ShapeCheck check;
  nlohmann::json::sax_parse(body.begin(), body.end(), &check);
  switch (check.stop()) {
    case ShapeCheck::Stop::TooDeep:
      return Refusal{
          400, "JSON_TOO_DEEP",
          "请求体的 JSON 嵌套超过 " + std::to_string(kMaxJsonDepth) + " 层:不是本协议的请求",
          "the body's JSON nests deeper than " + std::to_string(kMaxJsonDepth) +
              " levels: not a request of this protocol"};
    case ShapeCheck::Stop::TooMany:
      return Refusal{
          413, "BODY_TOO_LARGE",
          "请求体的 JSON 含值超过 " + std::to_string(kMaxJsonValues) + " 个:请分成较小的批次上传",
          "the body's JSON holds more than " + std::to_string(kMaxJsonValues) +
              " values: upload in smaller batches"};
    case ShapeCheck::Stop::None:
      break;
  }
  return std::nullopt;
}

std::string shown_value(std::string_view value) {
  constexpr int kMaxShown = 60;
  std::string out;
  int shown = 0;
  std::size_t i = 0;
  while (i < value.size() && shown < kMaxShown) {
    char32_t cp = 0;
    const std::size_t n = utf8_at(value, i, cp);
    if (n > 0 && printable(cp)) {
      out.append(value.substr(i, n));
      i += n;
    } else {
      // One byte at a time: an invalid sequence or a control character, shown as its bytes.
      const std::size_t bytes = n > 0 ? n : 1;
      for (std::size_t k = 0; k < bytes; ++k) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(value[i + k]));
        out += buf;
      }
      i += bytes;
    }
    ++shown;
  }
  if (i < value.size()) out += "…";
  return out;
}

}  // namespace hn::sandbox
