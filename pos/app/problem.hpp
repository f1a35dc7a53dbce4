#pragma once
// How a use case says no. Expected refusals and bad input are values; the CLI and the GUI each
// turn a Problem into a message in one place (STYLE.md 2).
#include <string>
#include <utility>

#include "core/text.hpp"
#include "platform/error.hpp"

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

// A value or the problem that prevented it: the platform's one Result, whose error is a Problem.
template <class T>
class Result : public platform::Result<T, Problem> {
 public:
  using platform::Result<T, Problem>::Result;
  const Problem& problem() const { return this->error(); }
};

using platform::Done;

}  // namespace hn::app
