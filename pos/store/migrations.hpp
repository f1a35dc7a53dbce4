#pragma once
namespace hn::store {
class Database;
// Brings the schema to the newest version, one numbered migration at a time, each in its
// own transaction. A database newer than this program is refused.
void migrate(Database& db);
int latest_schema_version();
}  // namespace hn::store
