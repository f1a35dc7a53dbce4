#pragma once
// `huinong hold list|drop`: the held sales (挂单, issue 16) for the manager: what is held, and
// dropping one whose buyer is not coming back (its cards are then free to sell).
#include "cli/common.hpp"

namespace hn::cli {

int cmd_hold_list(Context& c);  // hold list --user L
int cmd_hold_drop(Context& c);  // hold drop ID --user MANAGER --reason TEXT

}  // namespace hn::cli
