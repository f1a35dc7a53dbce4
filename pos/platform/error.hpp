#pragma once
// The platform's error types and its one Result. Expected failures (a refused rule, a printer
// out of paper, a file too large) are values: a Result holding an error, as in zxing-cpp's
// Error, "not meant to be thrown". What is broken (the disk, the database, a key file that is
// not ours) is thrown: DbError, SetupError.
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace hn::platform {

// An expected failure told to people: a stable code ("PRINTER_UNREACHABLE", "FILE_TOO_LARGE")
// and the message in both languages.
struct Error {
  std::string code;
  std::string message_zh;
  std::string message_en;
};

// A value or the error (E) that prevented it.
template <class T, class E = Error>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(E error) : error_(std::move(error)) {}  // NOLINT
  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  const E& error() const { return error_; }

 private:
  std::optional<T> value_;
  E error_;
};

// The value of a Result that has nothing to give but success.
struct Done {};

class DbError : public std::runtime_error {
 public:
  DbError(const std::string& what, int code) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// The database or its key file is missing, already exists, or belongs to a newer program:
// something the person running the terminal can act on, not a crash. `code` is the stable
// refusal code; `verification` marks what proves the files are not what they must be (a key
// of another terminal, a damaged database: exit 5) rather than a mistake in what was asked.
class SetupError : public std::runtime_error {
 public:
  SetupError(std::string zh, std::string en, std::string code = "SETUP", bool verification = false)
      : std::runtime_error(zh + " / " + en), zh_(std::move(zh)), en_(std::move(en)),
        code_(std::move(code)), verification_(verification) {}
  const std::string& zh() const { return zh_; }
  const std::string& en() const { return en_; }
  const std::string& code() const { return code_; }
  bool verification() const { return verification_; }

 private:
  std::string zh_, en_, code_;
  bool verification_ = false;
};

}  // namespace hn::platform
