#pragma once
// The journal: every event that matters, appended in the same transaction as the change it
// records, with a gap-free sequence and hash = SHA-256(prev_hash || canonical body).
#include <cstdint>
#include <string>
#include <vector>

// The declaration only: nearly every file includes this one through store.hpp and terminal.hpp,
// and the whole of nlohmann/json.hpp costs each of them over a second of compiling.
#include <nlohmann/json_fwd.hpp>

#include "store/journal_head.hpp"  // note_journal_head, note_invoice_no: what a commit makes the head
#include "store/platform_names.hpp"

namespace hn::store {

inline constexpr const char* kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct JournalEntry {
  std::int64_t seq = 0;
  std::string at;
  std::string user_login;
  std::string kind;
  std::string body;
  std::string prev_hash;
  std::string hash;
};

// The canonical form of a body: nlohmann's compact dump, keys sorted, UTF-8 as is.
std::string canonical_json(const nlohmann::json& body);
// What is hashed binds the sequence, time, user and kind too, so none can be changed alone.
std::string journal_hash(const std::string& prev_hash, std::int64_t seq, const std::string& at,
                         const std::string& user_login, const std::string& kind,
                         const std::string& canonical_body);

// Appends inside the caller's transaction. `body` must hold no personal data in clear.
JournalEntry journal_append(Database& db, const std::string& at, const std::string& user_login,
                            const std::string& kind, const nlohmann::json& body);
// The entries from `from_seq` to `to_seq` (inclusive; 0 for the last), in order.
std::vector<JournalEntry> journal_entries(Database& db, std::int64_t from_seq, std::int64_t to_seq);
// Walks the chain; returns the first sequence number whose link is broken, or 0 when sound.
std::int64_t journal_first_broken_link(Database& db);

}  // namespace hn::store
