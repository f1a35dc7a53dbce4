#pragma once
// Who may do what, shared by the use cases of terminal.cpp and returns.cpp.
#include <initializer_list>

#include "app/problem.hpp"
#include "store/store.hpp"

namespace hn::app {

inline constexpr const char* kTerminalId = "terminal.id";
inline constexpr const char* kPublicKey = "audit.public_key";

Problem role_refused(const store::UserRecord& u);
bool has_role(const store::UserRecord& u, std::initializer_list<store::Role> roles);

}  // namespace hn::app
