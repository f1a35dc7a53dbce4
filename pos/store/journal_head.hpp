#pragma once
// The journal's head kept outside the database (hardening issue): `<db>.head` holds the last
// journal entry this terminal committed (sequence and hash) and the highest invoice number it
// issued, authenticated with the terminal's hash key. Anyone who deletes the newest sales
// together with the tail of the journal leaves a database whose journal no longer reaches the
// head: the terminal refuses it (DATABASE_DAMAGED) instead of issuing those invoice numbers
// again.
//
// The file is two slots of kHeadSlotBytes, each a whole authenticated head; entry `seq` goes
// into slot seq % 2, written in place over the older of the two (issue 17: a spare file renamed
// over the head on every sale cost a fifth of the checkout's CPU). Both slots lie in the
// file's first 512-byte sector, which the disk writes whole, so a crash leaves the old head or
// the new one, never half; the head is the newer slot. Should a disk tear it all the same, the
// other slot holds the head before, and the entry whose slot was torn must be in the journal
// (it was committed before its slot was written): a slot torn with no newer entry is damage.
// A file from before the slots (one head line) is read as both and, at the next start, made
// anew as two slots. Created whole (a spare file renamed into place) when missing.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "store/platform_names.hpp"

namespace hn::store {

struct JournalHead {
  std::int64_t seq = 0;
  std::string hash;
  std::int64_t last_invoice_no = 0;
  // Read from one slot only: the other could not be read (read_head). A power cut in the
  // middle of writing a slot leaves that; the entry being written is then in the journal.
  bool other_slot_unreadable = false;
};

inline std::string head_path_for(const std::string& db_path) { return db_path + ".head"; }
inline constexpr std::size_t kHeadSlotBytes = 256;

// Empty when there is no file. Throws DamagedError when the file is there but neither slot is a
// head this key wrote (edited, or another terminal's); one slot that is not, and the head is
// the other, marked other_slot_unreadable (anchor_journal decides).
std::optional<JournalHead> read_head(const std::string& path, const KeyRing& keys);
// The whole file anew, `head` in both slots (a spare file renamed into place). Best effort (a
// full disk must not turn a committed sale into an error): false when it could not be written;
// the next commit writes it again.
bool write_head(const std::string& path, const KeyRing& keys, const JournalHead& head);

// Checks the database against its head file and from then on keeps the file up to date with
// every commit on `db`. `adopt` (a restore, a terminal older than the head file): a missing
// head is made from the journal as it stands instead of being refused.
void anchor_journal(Database& db, const KeyRing& keys, bool adopt);

// What the next commit on an anchored `db` makes durable, for the head file: the journal entry
// just appended (journal_append), an invoice number issued. A rollback forgets both; on a
// database that is not anchored they do nothing.
void note_journal_head(Database& db, std::int64_t seq, const std::string& hash);
void note_invoice_no(Database& db, std::int64_t invoice_no);

inline constexpr const char* kJournalAnchoredSetting = "journal.anchored";
inline constexpr const char* kInvoiceFloorSetting = "invoice.floor";

}  // namespace hn::store
