#pragma once
// Expected failures of the printers (no paper, a closed port, an unwritable file) are
// values, as in zxing-cpp's Error: the CLI and the GUI each turn them into a message.
#include <optional>
#include <string>
#include <utility>

namespace hn::printer {

struct Error {
  std::string code;  // stable, e.g. "PRINTER_UNREACHABLE", "PRINTER_URI"
  std::string message_zh;
  std::string message_en;
};

// A value or the error that prevented it.
template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : error_(std::move(error)) {}  // NOLINT
  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  const Error& error() const { return error_; }

 private:
  std::optional<T> value_;
  Error error_;
};

struct Done {};

}  // namespace hn::printer
