#pragma once
// Is the terminal's database sound? Checked cheaply at every open, fully before a backup or a
// restore is trusted (DESIGN.md "Data"). A damaged file is something the person at the
// terminal can act on (restore the last backup), so it is a SetupError with both languages.
//
// At open, measured on the 1M-sale benchmark store (1 GB): PRAGMA quick_check takes 9 s with
// the file in the page cache and 90 s from a cold disk, far too slow for every `huinong`
// command. So an open checks:
// - the journal's chain from the last entry verified (setting `journal.verified`, "SEQ HASH"),
//   and that this entry still has its hash: a few rows, milliseconds;
// - when the previous session ended without closing the database (a crash or a power cut left
//   the write-ahead log behind and nobody has it open), quick_check and the whole chain too.
// The whole file and chain are checked again with every backup (the copy is checked), so damage
// to old rows is found at the latest by the next daily backup.
#include <cstdint>
#include <string>

#include "store/platform_names.hpp"

namespace hn::store {

// The database file or its journal is damaged: do not use it, restore the last backup.
class DamagedError : public SetupError {
 public:
  DamagedError(std::string zh, std::string en)
      : SetupError(std::move(zh), std::move(en), "DATABASE_DAMAGED", true) {}
};

struct Soundness {
  std::string sqlite_problems;  // what quick_check / integrity_check said; empty when sound
  std::int64_t broken_seq = 0;  // the first journal entry whose link is broken; 0 when sound
  std::int64_t journal_rows = 0;  // entries checked
  bool ok() const { return sqlite_problems.empty() && broken_seq == 0; }
  // One line in each language, for messages.
  std::string what_zh() const;
  std::string what_en() const;
};

// Opens an existing database (Database::open) and checks it as described above; writes nothing
// before the checks pass. Throws DamagedError naming what is damaged and the restore command.
Database open_checked(const std::string& db_path);

// The whole file (PRAGMA integrity_check) and the whole chain, opened read-only and immutable
// (nothing is written to it): for a backup copy or a file about to be restored. A file that is
// not a terminal database at all reports that as its problem.
Soundness check_file_fully(const std::string& path);

// The journal chain from entry `after_seq` (whose hash must be `after_hash`; 0 and the genesis
// hash from the start) on an open connection.
Soundness check_journal_after(sqlite3* db, std::int64_t after_seq, const std::string& after_hash);

// What to say about a damaged database at `db_path`, with the command that restores the newest
// backup found in `backup_dir` (may be empty).
DamagedError damaged(const std::string& db_path, const Soundness& s, const std::string& backup_dir);

// The newest `huinong-*.db` in `dir`, or empty.
std::string newest_backup(const std::string& dir);

// Whether the last session on `db_path` ended without closing the database: the write-ahead log
// is there and not empty, and no other process holds the database open. False when this process
// has opened it before (its own connections are alive or closed cleanly).
bool previous_session_unclean(const std::string& db_path);

inline constexpr const char* kJournalVerifiedSetting = "journal.verified";

}  // namespace hn::store
