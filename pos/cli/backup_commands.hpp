#pragma once
#include "cli/common.hpp"

namespace hn::cli {

int cmd_backup(Context& c);       // backup --user MANAGER [--to DIR]
int cmd_restore(Context& c);      // restore --from BACKUP.db [--force]   (the database: --db)
int cmd_setting_set(Context& c);  // setting set --user MANAGER --key K --value V

}  // namespace hn::cli
