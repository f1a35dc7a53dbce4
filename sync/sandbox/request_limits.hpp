#pragma once
// What one request to `huinong-sandbox serve` may be (PROTOCOL.md "Limits"): checked before a
// body is read (its declared size and form) and before it is parsed (its nesting and number of
// values), so that no request can make the server hold more than a few times its size.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hn::sandbox {

// A batch of 500 sales of ten items each is about 1.5 MB on the wire; 4 MiB leaves room and
// bounds what one request can cost.
inline constexpr std::size_t kMaxBodyBytes = 4u << 20;
// The protocol's deepest body nests five levels ({"sales":[{"items":[{…}]}]}).
inline constexpr int kMaxJsonDepth = 32;
// 500 sales of ten items are about 50,000 values; a parsed value costs up to ~100 bytes, so
// this bounds a parsed body to tens of MB whatever its shape.
inline constexpr std::size_t kMaxJsonValues = 250'000;

// A request refused before its body was parsed: the HTTP status and the protocol's error.
struct Refusal {
  int status = 400;
  std::string code;
  std::string zh;
  std::string en;
};

// The refusal of a body over kMaxBodyBytes (413 BODY_TOO_LARGE); `declared_bytes` 0 when
// not known.
Refusal body_too_large(std::size_t declared_bytes);

// A Content-Length header's value; 0 when absent or not a number, SIZE_MAX when too long to
// hold (over any limit).
std::size_t declared_length(const std::string& content_length);

// From the request's head, before any of the body is read: a body is sent with its
// Content-Length (411 LENGTH_REQUIRED when chunked, or missing on a method with a body: such
// a body is read until the connection ends), and uncompressed (415 BAD_REQUEST for a
// Content-Encoding, which could inflate far past the limit while it is read).
std::optional<Refusal> check_body_form(const std::string& method,
                                       const std::string& transfer_encoding,
                                       const std::string& content_encoding,
                                       bool has_content_length);

// A streaming pass over the body before it is parsed into memory: JSON_TOO_DEEP (400) past
// kMaxJsonDepth, BODY_TOO_LARGE (413) past kMaxJsonValues. Malformed JSON is not refused
// here; the parse that follows says so.
std::optional<Refusal> check_json_shape(std::string_view body);

// A value from a request as an error message may show it: at most 60 characters, anything
// that is not printable UTF-8 escaped (\xNN), "…" when cut.
std::string shown_value(std::string_view value);

}  // namespace hn::sandbox
