#pragma once
// How a use case says no. Expected refusals and bad input are values; the CLI and the GUI each
// turn a Problem into a message in one place (STYLE.md 2).
#include <optional>
#include <string>
#include <utility>

#include "core/text.hpp"

namespace hn::app {

enum class ProblemKind {
  BadInput,          // exit 2
  Refused,           // exit 3: a policy rule said no
  NotPermitted,      // exit 4: wrong PIN, locked account, or a role without the right
  Internal,          // exit 1
  VerificationFailed // exit 5
};

struct Problem {
  ProblemKind kind = ProblemKind::Internal;
  std::string code;  // stable, e.g. "CSV_INVALID", "PIN_WRONG"
  std::string message_zh;
  std::string message_en;
  std::string field = {};  // the input field at fault when one is ("brand", "buyer_name"); else ""
  std::string text() const { return message_zh + " / " + message_en; }
};

int exit_code(ProblemKind kind);

inline Problem bad_input(std::string code, std::string zh, std::string en) {
  return {ProblemKind::BadInput, std::move(code), std::move(zh), std::move(en)};
}
inline Problem refused(std::string code, std::string zh, std::string en) {
  return {ProblemKind::Refused, std::move(code), std::move(zh), std::move(en)};
}
// Text that may not enter the terminal (core/text.hpp check_text): bad input naming the field.
inline Problem text_refused(const TextCheck& check) {
  return {ProblemKind::BadInput, check.code(), check.message_zh(), check.message_en(), check.field};
}
inline Problem not_permitted(std::string code, std::string zh, std::string en) {
  return {ProblemKind::NotPermitted, std::move(code), std::move(zh), std::move(en)};
}
inline Problem verification_failed(std::string code, std::string zh, std::string en) {
  return {ProblemKind::VerificationFailed, std::move(code), std::move(zh), std::move(en)};
}

// A value or the problem that prevented it.
template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Problem problem) : problem_(std::move(problem)) {}  // NOLINT
  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  const Problem& problem() const { return problem_; }

 private:
  std::optional<T> value_;
  Problem problem_;
};

struct Done {};

}  // namespace hn::app
