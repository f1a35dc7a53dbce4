#include "store/journal.hpp"

#include <nlohmann/json.hpp>

#include "store/platform_names.hpp"

namespace hn::store {

std::string canonical_json(const nlohmann::json& body) { return body.dump(); }

std::string journal_hash(const std::string& prev_hash, std::int64_t seq, const std::string& at,
                         const std::string& user_login, const std::string& kind,
                         const std::string& canonical_body) {
  // Fields joined by newlines, which none of them can contain unescaped (the body is JSON).
  return sha256_hex(prev_hash + "\n" + std::to_string(seq) + "\n" + at + "\n" + user_login +
                    "\n" + kind + "\n" + canonical_body);
}

JournalEntry journal_append(Database& db, const std::string& at, const std::string& user_login,
                            const std::string& kind, const nlohmann::json& body) {
  JournalEntry e;
  {
    auto last = db.prepare("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1");
    if (last.step()) {
      e.seq = last.int64(0) + 1;
      e.prev_hash = last.text(1);
    } else {
      e.seq = 1;
      e.prev_hash = kGenesisHash;
    }
  }
  e.at = at;
  e.user_login = user_login;
  e.kind = kind;
  e.body = canonical_json(body);
  e.hash = journal_hash(e.prev_hash, e.seq, e.at, e.user_login, e.kind, e.body);
  // Noted before the insert: outside a transaction the insert commits at once.
  note_journal_head(db, e.seq, e.hash);
  db.prepare("INSERT INTO journal(seq, at, user_login, kind, body, prev_hash, hash) "
             "VALUES(?,?,?,?,?,?,?)")
      .bind(1, e.seq)
      .bind(2, e.at)
      .bind(3, e.user_login)
      .bind(4, e.kind)
      .bind(5, e.body)
      .bind(6, e.prev_hash)
      .bind(7, e.hash)
      .run();
  return e;
}

std::vector<JournalEntry> journal_entries(Database& db, std::int64_t from_seq, std::int64_t to_seq) {
  auto st = db.prepare("SELECT seq, at, user_login, kind, body, prev_hash, hash FROM journal "
                       "WHERE seq >= ?1 AND (?2 = 0 OR seq <= ?2) ORDER BY seq");
  st.bind(1, from_seq).bind(2, to_seq);
  std::vector<JournalEntry> out;
  while (st.step())
    out.push_back({st.int64(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6)});
  return out;
}

std::int64_t journal_first_broken_link(Database& db) {
  auto st = db.prepare("SELECT seq, at, user_login, kind, body, prev_hash, hash FROM journal ORDER BY seq");
  std::string prev = kGenesisHash;
  std::int64_t expected = 1;
  while (st.step()) {
    const auto seq = st.int64(0);
    if (seq != expected || st.text(5) != prev ||
        journal_hash(prev, seq, st.text(1), st.text(2), st.text(3), st.text(4)) != st.text(6))
      return expected;
    prev = st.text(6);
    ++expected;
  }
  return 0;
}

}  // namespace hn::store
