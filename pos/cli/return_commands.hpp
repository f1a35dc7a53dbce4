#pragma once
// `huinong return`, `huinong returns list|show|cancel`: returns, subsidy first and goods second
// (returns issue), with the province's word on the card's subsidy when it can be asked.
#include "cli/common.hpp"

namespace hn::cli {

// return --user L --approver MANAGER --invoice NO --card CARD [--reason TEXT]
//        [--form-out FILE] [--note-out FILE]
int cmd_return(Context& c);
// exchange --user L --approver MANAGER --invoice NO --card OLD --new-card NEW --new-serial S
//          --reason TEXT [--invoice-out FILE]      (换货: same model, same buyer and subsidy)
int cmd_exchange(Context& c);
int cmd_returns_list(Context& c);    // returns list --user L [--state open|completed|cancelled|all]
int cmd_returns_show(Context& c);    // returns show --user L --return N [--form-out F] [--note-out F]
int cmd_returns_cancel(Context& c);  // returns cancel --user MANAGER --return N --reason TEXT

}  // namespace hn::cli
