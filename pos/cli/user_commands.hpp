#pragma once
// `huinong user add|unlock|reset-pin|deactivate|role|recover|recovery-code|list`: a manager's
// user administration (each journaled) and the recovery code of a locked-out manager.
#include <string>

#include "cli/common.hpp"

namespace hn::cli {

// The recovery code as `init` and the user commands print it: once, to be written down.
std::string recovery_notice(const std::string& code);

int cmd_user_add(Context& c);
int cmd_user_unlock(Context& c);
int cmd_user_reset_pin(Context& c);
int cmd_user_deactivate(Context& c);
int cmd_user_role(Context& c);
int cmd_user_recover(Context& c);
int cmd_user_recovery_code(Context& c);
int cmd_user_list(Context& c);

}  // namespace hn::cli
