#pragma once
#include "platform/database.hpp"

namespace hn::store {
// The terminal's schema, passed to Database::open: numbered migrations, each in its own
// transaction; a database newer than this program is refused.
const platform::Migrations& terminal_migrations();
int latest_schema_version();
// The schema as it stood at `version` (1..latest): for the tests that upgrade a file made by an
// older terminal.
platform::Migrations terminal_migrations_until(int version);
}  // namespace hn::store
