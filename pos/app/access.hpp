#pragma once
// Who may do what, shared by the use cases of pos/app.
#include <initializer_list>
#include <string>

#include "app/problem.hpp"
#include "app/settings.hpp"
#include "store/store.hpp"

namespace hn::app {

Problem role_refused(const store::UserRecord& u);
// The role as a Chinese message names it (营业员, 店长, 稽核员; the screens' own names, from the
// catalog's "clerk", "manager", "auditor"); store::role_code stays for JSON, CSV and the journal.
std::string role_name_zh(store::Role r);
bool has_role(const store::UserRecord& u, std::initializer_list<store::Role> roles);

}  // namespace hn::app
