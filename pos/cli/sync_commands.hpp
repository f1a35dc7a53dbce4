#pragma once
#include "cli/common.hpp"

namespace hn::cli {

int cmd_sync_setup(Context& c);   // sync setup --user MANAGER --server URL --credential DIR [--pin-public-key K]
int cmd_sync_status(Context& c);  // sync status [--json]
int cmd_sync_run(Context& c);     // sync --user L [--once] [--max-seconds N]
int cmd_tasks_list(Context& c);   // tasks list --user MANAGER [--state open|resolved]
// tasks resolve --user MANAGER --task N --action unsubsidised|cancel|acknowledge --reason TEXT
//               [--invoice-out FILE]
int cmd_tasks_resolve(Context& c);

}  // namespace hn::cli
