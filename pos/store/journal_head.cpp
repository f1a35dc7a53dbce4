#include "store/journal_head.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <sstream>
#include <utility>

#include "store/journal.hpp"
#include "store/soundness.hpp"

namespace hn::store {

namespace {
constexpr const char* kMagic = "HUINONG-HEAD-1";

std::string signed_part(const JournalHead& h) {
  return std::to_string(h.seq) + " " + h.hash + " " + std::to_string(h.last_invoice_no);
}

// The head file held open between commits (HeadKeeper), with the identity it had when opened.
struct KeptHead {
  int fd = -1;
  dev_t dev = 0;
  ino_t ino = 0;
};
bool update_head_kept(KeptHead& kept, const std::string& path, const KeyRing& keys, const JournalHead& head);

DamagedError head_problem(const std::string& db_path, const std::string& zh, const std::string& en) {
  return DamagedError("数据库 " + db_path + " 与终端记录的日志末端不符(" + zh +
                          "):有人删改了数据库或换了文件,请勿继续使用。请用 huinong restore 恢复最近的备份,"
                          "备份之后的销售按纸质发票核对补录",
                      "database " + db_path + " does not reach the journal head this terminal recorded (" + en +
                          "): the file was cut back or replaced; do not go on using it. Restore the last backup "
                          "with huinong restore and check the sales made since against the paper invoices");
}

// Keeps the head file up to date with the commits on the database (platform CommitObserver):
// the journal's head noted by journal_append, with the highest invoice number noted.
class HeadKeeper : public platform::CommitObserver {
 public:
  HeadKeeper(std::string path, KeyRing keys, std::int64_t last_invoice_no)
      : path_(std::move(path)), keys_(std::move(keys)), invoice_committed_(last_invoice_no),
        invoice_pending_(last_invoice_no) {}

  void note_head(std::int64_t seq, const std::string& hash) {
    seq_ = seq;
    hash_ = hash;
    pending_ = true;
  }
  void note_invoice(std::int64_t invoice_no) { invoice_pending_ = std::max(invoice_pending_, invoice_no); }

  void committed() override {
    invoice_committed_ = std::max(invoice_committed_, invoice_pending_);
    if (!pending_) return;
    pending_ = false;
    // The head is a check, not the sale: when it cannot be written the next commit writes it.
    update_head_kept(kept_, path_, keys_, {seq_, hash_, invoice_committed_});
  }
  ~HeadKeeper() override {
    if (kept_.fd >= 0) ::close(kept_.fd);
  }
  HeadKeeper(const HeadKeeper&) = delete;
  HeadKeeper& operator=(const HeadKeeper&) = delete;

  void rolled_back() override {
    pending_ = false;
    invoice_pending_ = invoice_committed_;
  }

 private:
  std::string path_;
  KeyRing keys_;
  std::int64_t seq_ = 0;
  std::string hash_;
  bool pending_ = false;
  std::int64_t invoice_committed_ = 0;
  std::int64_t invoice_pending_ = 0;
  KeptHead kept_;  // the head file, open from one commit to the next (update_head_kept)
};

HeadKeeper* keeper_of(Database& db) { return dynamic_cast<HeadKeeper*>(db.commit_observer()); }

std::int64_t scalar(Database& db, const char* sql) {
  auto st = db.prepare(sql);
  return st.step() && !st.is_null(0) ? st.int64(0) : 0;
}
}  // namespace

namespace {
// One slot: the head line, padded with newlines to kHeadSlotBytes.
std::string slot_text(const KeyRing& keys, const JournalHead& head) {
  std::string text = std::string(kMagic) + " " + signed_part(head) + " " + keys.lookup_hash("head", signed_part(head)) + "\n";
  text.resize(kHeadSlotBytes, '\n');
  return text;
}

// The head one slot holds, when this key wrote it.
std::optional<JournalHead> parse_slot(const std::string& text, const KeyRing& keys) {
  std::istringstream in(text);
  std::string magic, mac;
  JournalHead h;
  if (!(in >> magic >> h.seq >> h.hash >> h.last_invoice_no >> mac) || magic != kMagic ||
      mac != keys.lookup_hash("head", signed_part(h)))
    return std::nullopt;
  return h;
}

enum class HeadRead { Missing, Read, OneSlot, NotAHead };

HeadRead read_slots(const std::string& path, const KeyRing& keys, JournalHead& out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return HeadRead::Missing;
  std::string text(2 * kHeadSlotBytes + 1, '\0');
  struct stat st {};
  ssize_t n = -1;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) n = ::pread(fd, text.data(), text.size(), 0);
  ::close(fd);
  if (n <= 0 || static_cast<std::size_t>(n) > 2 * kHeadSlotBytes) return HeadRead::NotAHead;
  text.resize(static_cast<std::size_t>(n));
  // A file of one slot (or one head line, from before the slots) is read as both.
  const auto first = parse_slot(text.substr(0, kHeadSlotBytes), keys);
  const auto second = text.size() > kHeadSlotBytes ? parse_slot(text.substr(kHeadSlotBytes), keys) : first;
  if (!first && !second) return HeadRead::NotAHead;
  if (!first || !second) {
    out = first ? *first : *second;
    out.other_slot_unreadable = true;
    return HeadRead::OneSlot;
  }
  out = first->seq >= second->seq ? *first : *second;
  out.last_invoice_no = std::max(first->last_invoice_no, second->last_invoice_no);
  return HeadRead::Read;
}
}  // namespace

std::optional<JournalHead> read_head(const std::string& path, const KeyRing& keys) {
  JournalHead h;
  HeadRead r = HeadRead::Missing;
  for (int attempt = 0; attempt < 3; ++attempt) {
    // Another process's commit may be writing a slot this very moment: look again before
    // taking a slot as unreadable.
    if (attempt > 0) ::usleep(5000);
    r = read_slots(path, keys, h);
    if (r == HeadRead::Missing) return std::nullopt;
    if (r == HeadRead::Read) return h;
  }
  if (r == HeadRead::OneSlot) return h;
  const std::string db_path = path.substr(0, path.size() - 5);
  throw head_problem(db_path, "日志末端文件 " + path + " 不是本终端写的", "the head file " + path + " was not written by this terminal");
}

bool write_head(const std::string& path, const KeyRing& keys, const JournalHead& head) {
  const std::string slot = slot_text(keys, head);
  const std::string body = slot + slot;
  // A name of this process's own: the GUI's worker and a `huinong` command may both write.
  const std::string tmp = path + ".tmp" + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  const bool ok = ::write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size());
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

namespace {
// `head` into its slot of the file (seq % 2), in place, through a descriptor kept open between
// commits (opening the file by its name on every sale cost half of the head's write); the whole
// file when it is missing. Before each write the descriptor and the name must still be the same
// file (device and inode, the name not a link): one made anew by another process (write_head
// renames over it), deleted, or replaced while the old one kept another name, is opened again
// by name, which refuses a link put in its place.
bool update_head_kept(KeptHead& kept, const std::string& path, const KeyRing& keys, const JournalHead& head) {
  struct stat held {}, named {};
  if (kept.fd >= 0 && (::fstat(kept.fd, &held) != 0 || ::lstat(path.c_str(), &named) != 0 ||
                       !S_ISREG(named.st_mode) || held.st_dev != kept.dev || held.st_ino != kept.ino ||
                       named.st_dev != kept.dev || named.st_ino != kept.ino)) {
    ::close(kept.fd);
    kept.fd = -1;
  }
  if (kept.fd < 0) {
    kept.fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (kept.fd >= 0 && (::fstat(kept.fd, &held) != 0 || !S_ISREG(held.st_mode))) {
      ::close(kept.fd);
      kept.fd = -1;
    }
    // Missing, a link or not a plain file: made whole again, in place of whatever is there.
    if (kept.fd < 0) return write_head(path, keys, head);
    kept.dev = held.st_dev;
    kept.ino = held.st_ino;
  }
  const std::string slot = slot_text(keys, head);
  const auto at = static_cast<off_t>((head.seq % 2) * static_cast<std::int64_t>(kHeadSlotBytes));
  return ::pwrite(kept.fd, slot.data(), slot.size(), at) == static_cast<ssize_t>(slot.size());
}
}  // namespace

void anchor_journal(Database& db, const KeyRing& keys, bool adopt) {
  const std::string path = head_path_for(db.path());
  const auto head = read_head(path, keys);
  const std::int64_t max_invoice = scalar(db, "SELECT MAX(invoice_no) FROM sales");
  std::int64_t last_invoice = max_invoice;
  bool remake = false;  // the file written anew from the journal below
  if (head) {
    // One slot torn: the entry whose slot it was is newer than the head the other slot holds.
    if (head->other_slot_unreadable && !adopt) {
      const std::int64_t last = scalar(db, "SELECT MAX(seq) FROM journal");
      if (last <= head->seq)
        throw head_problem(db.path(), "日志末端文件 " + path + " 有一格读不出,日志里也没有比另一格更新的条目",
                           "one slot of the head file " + path + " cannot be read and the journal holds no entry "
                           "newer than the other's");
    }
    struct stat st {};
    remake = head->other_slot_unreadable || ::stat(path.c_str(), &st) != 0 ||
             st.st_size != static_cast<off_t>(2 * kHeadSlotBytes);
  }
  if (head) {
    auto st = db.prepare("SELECT hash FROM journal WHERE seq = ?");
    st.bind(1, head->seq);
    const bool reached = st.step() && st.text(0) == head->hash;
    st.reset();
    if (!reached && !adopt) {
      const std::int64_t last = scalar(db, "SELECT MAX(seq) FROM journal");
      throw head_problem(db.path(), "日志只到第 " + std::to_string(last) + " 条,终端记录的末端是第 " + std::to_string(head->seq) + " 条",
                         "the journal ends at entry " + std::to_string(last) + ", the terminal recorded entry " +
                             std::to_string(head->seq));
    }
    if (head->last_invoice_no > max_invoice && !adopt)
      throw head_problem(db.path(), "发票号最高为 " + std::to_string(max_invoice) + ",终端已开到 " +
                                        std::to_string(head->last_invoice_no),
                         "the highest invoice number is " + std::to_string(max_invoice) + ", the terminal issued up to " +
                             std::to_string(head->last_invoice_no));
    last_invoice = std::max(last_invoice, head->last_invoice_no);
  } else if (!adopt) {
    auto st = db.prepare("SELECT value FROM settings WHERE key = ?");
    st.bind(1, kJournalAnchoredSetting);
    if (st.step())
      throw head_problem(db.path(), "日志末端文件 " + path + " 不见了", "the head file " + path + " is missing");
  }
  db.observe_commits(std::make_unique<HeadKeeper>(path, keys, last_invoice));
  if (head && !adopt && !remake) return;
  // First open since the head file exists (or a restore), a file of one head line from before
  // the slots, or one slot torn: take the journal as it stands.
  Transaction tx(db);
  db.prepare("INSERT INTO settings(key, value) VALUES(?, '1') ON CONFLICT(key) DO UPDATE SET value = '1'")
      .bind(1, kJournalAnchoredSetting)
      .run();
  auto last = db.prepare("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1");
  const bool any = last.step();
  const JournalHead now{any ? last.int64(0) : 0, any ? last.text(1) : std::string(kGenesisHash), last_invoice};
  last.reset();
  tx.commit();
  write_head(path, keys, now);
}

void note_journal_head(Database& db, std::int64_t seq, const std::string& hash) {
  if (auto* k = keeper_of(db)) k->note_head(seq, hash);
}

void note_invoice_no(Database& db, std::int64_t invoice_no) {
  if (auto* k = keeper_of(db)) k->note_invoice(invoice_no);
}

}  // namespace hn::store
