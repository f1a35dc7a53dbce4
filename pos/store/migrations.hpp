#pragma once
#include "platform/database.hpp"

namespace hn::store {
// The terminal's schema, passed to Database::open: numbered migrations, each in its own
// transaction; a database newer than this program is refused.
const platform::Migrations& terminal_migrations();
int latest_schema_version();
}  // namespace hn::store
