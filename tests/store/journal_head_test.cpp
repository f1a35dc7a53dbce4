// The journal's head file (store/journal_head.hpp): two authenticated slots, each commit writing
// its own in place; a file from before the slots still read; a slot changed by hand refused.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "platform/database.hpp"
#include "store/journal.hpp"
#include "store/journal_head.hpp"
#include "store/migrations.hpp"
#include "store/soundness.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

using namespace hn::store;

namespace {
struct Anchored {
  hn::test::TempDir dir;
  std::string db_path = dir.file("t.db");
  std::string head = head_path_for(db_path);
  KeyRing keys = KeyRing::create(dir.file("t.db.key"));
  Database db = Database::open(db_path, true, terminal_migrations());
  Anchored() { anchor_journal(db, keys, true); }

  JournalEntry sell(const char* what) {
    Transaction tx(db);
    const auto e = journal_append(db, "2026-12-07T10:00:00", "li", "sale", {{"what", what}});
    tx.commit();
    return e;
  }
  std::string file() const { return hn::test::read_text(head); }
  ino_t inode() const {
    struct stat st {};
    REQUIRE(::stat(head.c_str(), &st) == 0);
    return st.st_ino;
  }
};

void put(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// The head line a terminal wrote before the slots: one line, no padding.
std::string one_line_head(const KeyRing& keys, const JournalEntry& e, std::int64_t invoice) {
  const std::string part = std::to_string(e.seq) + " " + e.hash + " " + std::to_string(invoice);
  return "HUINONG-HEAD-1 " + part + " " + keys.lookup_hash("head", part) + "\n";
}
}  // namespace

TEST_CASE("each commit writes the head into its own slot of the file, in place", "[store][journal][head]") {
  Anchored a;
  REQUIRE(a.file().size() == 2 * kHeadSlotBytes);  // made whole: both slots the same head
  const ino_t inode = a.inode();
  const auto first = a.sell("tv");
  const std::string after_first = a.file();
  const auto second = a.sell("fridge");
  const std::string after_second = a.file();
  CHECK(a.inode() == inode);  // written over, not replaced
  REQUIRE(after_second.size() == 2 * kHeadSlotBytes);
  // Entry n went into slot n % 2; the other slot still holds the entry before.
  const auto slot = [](const std::string& f, std::int64_t seq) {
    return f.substr(static_cast<std::size_t>(seq % 2) * kHeadSlotBytes, kHeadSlotBytes);
  };
  CHECK(slot(after_second, second.seq).find(second.hash) != std::string::npos);
  CHECK(slot(after_second, first.seq).find(first.hash) != std::string::npos);
  CHECK(slot(after_first, first.seq) == slot(after_second, first.seq));
  const auto head = read_head(a.head, a.keys);
  REQUIRE(head);
  CHECK(head->seq == second.seq);
  CHECK(head->hash == second.hash);
}

TEST_CASE("a head file from before the slots is read, and made anew as two slots when the terminal starts",
          "[store][journal][head]") {
  Anchored a;
  a.sell("tv");
  const auto e = a.sell("fridge");
  put(a.head, one_line_head(a.keys, e, 0));  // no sales rows here: invoice 0
  // The terminal starts on it: the one line is both slots.
  Database db = Database::open(a.db_path, false, terminal_migrations());
  anchor_journal(db, a.keys, false);
  CHECK(a.file().size() == 2 * kHeadSlotBytes);  // made anew as two slots
  auto head = read_head(a.head, a.keys);
  REQUIRE(head);
  CHECK(head->seq == e.seq);
  CHECK(head->last_invoice_no == 0);
  // Entry 3 goes into the second slot.
  Transaction tx(db);
  const auto next = journal_append(db, "2026-12-07T10:00:00", "li", "sale", {{"what", "phone"}});
  tx.commit();
  REQUIRE(next.seq % 2 == 1);
  CHECK(a.file().size() == 2 * kHeadSlotBytes);
  head = read_head(a.head, a.keys);
  REQUIRE(head);
  CHECK(head->seq == next.seq);
  CHECK(head->last_invoice_no == 0);
}

TEST_CASE("a head slot changed, cut or added to by hand is refused as damage", "[store][journal][head]") {
  Anchored a;
  a.sell("tv");
  const auto newest = a.sell("fridge");  // entry 2, slot 0; entry 1 in slot 1
  const std::string good = a.file();
  const auto starts = [&] {
    Database db = Database::open(a.db_path, false, terminal_migrations());
    anchor_journal(db, a.keys, false);
  };
  const auto refused = [&](const std::string& bytes) {
    put(a.head, bytes);
    CHECK_THROWS_AS(starts(), DamagedError);
  };
  // The older slot changed: no commit was writing it, as no entry is newer than the other.
  std::string older = good;
  const auto digit = older.find(' ', kHeadSlotBytes) + 1;  // the older slot's sequence number
  older[digit] = older[digit] == '9' ? '8' : static_cast<char>(older[digit] + 1);
  refused(older);
  std::string both = older;  // and the newer one too
  both[older.find(newest.hash)] ^= 1;
  refused(both);
  CHECK_THROWS_AS(read_head(a.head, a.keys), DamagedError);
  refused(good + "\n");  // more than two slots
  refused("");
  put(a.head, good);
  CHECK_NOTHROW(starts());
}

TEST_CASE("a slot torn by a power cut is read from the other, and the newest entry deleted with it is refused",
          "[store][journal][head]") {
  Anchored a;
  const auto first = a.sell("tv");
  const auto newest = a.sell("fridge");  // slot 0
  const std::string good = a.file();
  std::string torn = good;
  std::fill(torn.begin() + 100, torn.begin() + static_cast<long>(kHeadSlotBytes), '\0');  // slot 0 half written
  put(a.head, torn);
  auto head = read_head(a.head, a.keys);
  REQUIRE(head);
  CHECK(head->other_slot_unreadable);
  CHECK(head->seq == first.seq);
  {
    // Entry 2 is in the journal: the terminal starts, and the head file is whole again.
    Database db = Database::open(a.db_path, false, terminal_migrations());
    anchor_journal(db, a.keys, false);
    head = read_head(a.head, a.keys);
    REQUIRE(head);
    CHECK_FALSE(head->other_slot_unreadable);
    CHECK(head->seq == newest.seq);
  }
  // Someone tears the slot of the newest entry and deletes that entry: refused.
  put(a.head, torn);
  a.db.exec("DROP TRIGGER journal_no_delete");
  a.db.exec("DELETE FROM journal WHERE seq = " + std::to_string(newest.seq));
  Database db = Database::open(a.db_path, false, terminal_migrations());
  CHECK_THROWS_AS(anchor_journal(db, a.keys, false), DamagedError);
}

TEST_CASE("the head file kept open between commits follows a file made anew or deleted by another process",
          "[store][journal][head]") {
  // The terminal keeps the file open from one commit to the next; another process (a `huinong`
  // command beside the counter) may make it anew (a spare file renamed over it) or it may be
  // deleted: the next commit writes the file that has the name, not the one it had open.
  Anchored a;
  const auto first = a.sell("tv");  // opens the file and keeps it
  const ino_t kept = a.inode();
  REQUIRE(write_head(a.head, a.keys, {first.seq, first.hash, 0}));  // another process makes it anew
  const ino_t remade = a.inode();
  REQUIRE(remade != kept);
  const auto second = a.sell("fridge");
  CHECK(a.inode() == remade);  // written in place into the new file
  auto head = read_head(a.head, a.keys);
  REQUIRE(head);
  CHECK(head->seq == second.seq);

  REQUIRE(std::remove(a.head.c_str()) == 0);
  const auto third = a.sell("phone");
  head = read_head(a.head, a.keys);
  REQUIRE(head);  // made whole again under its name
  CHECK(head->seq == third.seq);
  CHECK(head->hash == third.hash);
  CHECK(a.file().size() == 2 * kHeadSlotBytes);

  // Replaced while the file held open keeps another name (a hard link, or NFS's .nfs name):
  // still not the head any more.
  const auto held = a.sell("stove");  // the file made whole above is opened and kept again
  REQUIRE(::link(a.head.c_str(), (a.head + ".old").c_str()) == 0);
  REQUIRE(write_head(a.head, a.keys, {held.seq, held.hash, 0}));
  const auto fourth = a.sell("washer");
  head = read_head(a.head, a.keys);
  REQUIRE(head);
  CHECK(head->seq == fourth.seq);
  const auto old = read_head(a.head + ".old", a.keys);
  REQUIRE(old);
  CHECK(old->seq == held.seq);  // the old file was left alone

  // A link put in its place is not followed: the head is made whole again, a plain file.
  REQUIRE(std::remove(a.head.c_str()) == 0);
  REQUIRE(::symlink((a.head + ".old").c_str(), a.head.c_str()) == 0);
  const auto fifth = a.sell("fan");
  struct stat st {};
  REQUIRE(::lstat(a.head.c_str(), &st) == 0);
  CHECK(S_ISREG(st.st_mode));
  head = read_head(a.head, a.keys);
  REQUIRE(head);
  CHECK(head->seq == fifth.seq);
  CHECK(read_head(a.head + ".old", a.keys)->seq == held.seq);
}
