#pragma once
// What the files of the Province share and nothing else sees: the prepared statements, the
// prov_meta keys and the shapes of a rejection. province.cpp holds the server side (sales,
// closings, queries), province_schema.cpp the migrations, province_admin.cpp the administration
// commands, province_returns.cpp the return events.
#include <string>

#include "province.hpp"
#include "platform/database.hpp"

namespace hn::sandbox {

namespace detail {

inline constexpr const char* kMetaSchema = "schema_version";
inline constexpr const char* kMetaVersion = "updates_version";
inline constexpr const char* kMetaPolicy = "active_policy";

// Resets a statement when the use of it ends, so no read stays open between requests.
class Use {
 public:
  explicit Use(platform::Statement& s) : s_(s) {}
  ~Use() { s_.reset(); }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;
  platform::Statement* operator->() { return &s_; }
  platform::Statement& operator*() { return s_; }

 private:
  platform::Statement& s_;
};

bool is_uuid_char(char c);
// A local time YYYY-MM-DDTHH:MM:SS.
bool is_local_time(const std::string& s);
sync::UploadResult rejected(const std::string& uuid, const std::string& code, std::string zh, std::string en);
sync::UploadResult uuid_conflict(const std::string& uuid);

// The sandbox's own schema (province_schema.cpp), with the default policy read from
// `assets_dir` into a new file.
platform::Migrations province_migrations(const std::string& assets_dir);

}  // namespace detail

// --- prepared statements: one set per connection, reused for every sale ----------------

struct Province::Statements {
  explicit Statements(platform::Database& db);
  platform::Statement meta_get, meta_put, outlet_get, card_get, history_all, history_except, sale_find,
      sale_insert, item_insert, card_set_state, duplicate_count, event_find, event_insert,
      event_sale, event_item, item_return, claim_get, claim_put, claim_delete, sold_card,
      own_sold_card, nonce_insert, nonce_prune;
  int nonces_since_prune = 0;
};

}  // namespace hn::sandbox
