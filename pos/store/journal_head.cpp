#include "store/journal_head.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <sstream>

#include "store/db.hpp"
#include "store/journal.hpp"
#include "store/soundness.hpp"

namespace hn::store {

namespace {
constexpr const char* kMagic = "HUINONG-HEAD-1";

std::string signed_part(const JournalHead& h) {
  return std::to_string(h.seq) + " " + h.hash + " " + std::to_string(h.last_invoice_no);
}

DamagedError head_problem(const std::string& db_path, const std::string& zh, const std::string& en) {
  return DamagedError("数据库 " + db_path + " 与终端记录的日志末端不符(" + zh +
                          "):有人删改了数据库或换了文件,请勿继续使用。请用 huinong restore 恢复最近的备份,"
                          "备份之后的销售按纸质发票核对补录",
                      "database " + db_path + " does not reach the journal head this terminal recorded (" + en +
                          "): the file was cut back or replaced; do not go on using it. Restore the last backup "
                          "with huinong restore and check the sales made since against the paper invoices");
}

std::int64_t scalar(Database& db, const char* sql) {
  auto st = db.prepare(sql);
  return st.step() && !st.is_null(0) ? st.int64(0) : 0;
}
}  // namespace

std::optional<JournalHead> read_head(const std::string& path, const KeyRing& keys) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return std::nullopt;
  std::string text(512, '\0');
  struct stat st {};
  ssize_t n = -1;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) n = ::read(fd, text.data(), text.size());
  ::close(fd);
  text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  std::istringstream in(text);
  std::string magic, mac;
  JournalHead h;
  const std::string db_path = path.substr(0, path.size() - 5);
  if (!(in >> magic >> h.seq >> h.hash >> h.last_invoice_no >> mac) || magic != kMagic ||
      mac != keys.lookup_hash("head", signed_part(h)))
    throw head_problem(db_path, "日志末端文件 " + path + " 不是本终端写的", "the head file " + path + " was not written by this terminal");
  return h;
}

namespace {
std::string head_text(const KeyRing& keys, const JournalHead& head) {
  return std::string(kMagic) + " " + signed_part(head) + " " + keys.lookup_hash("head", signed_part(head)) + "\n";
}

// The head file kept up to date after every commit, cheaply: the new head goes into a spare
// file of this process's own, which then trades places with the head file in one step
// (renameat2 RENAME_EXCHANGE). A reader sees the old head or the new one, never half of one,
// as with a rename over it; but no file is made and freed per sale, which cost a rename ~0.1 ms
// of CPU (issue 17). The spare, then holding the previous head, is written over next time and
// removed when the store closes. No head file yet, or a filesystem that cannot exchange: the
// plain rename. One spare per open store (the GUI's worker and uploader each have one), so no
// two writers share one. A reader that opened the head file and is kept from reading it for a
// whole commit could read it half rewritten (and refuse the file as altered): a window of two
// fsyncs, against the rename's none.
class HeadFile {
 public:
  HeadFile(std::string path, KeyRing keys)
      : path_(std::move(path)), spare_(path_ + ".tmp" + std::to_string(::getpid()) + "-" + std::to_string(++made_)),
        keys_(std::move(keys)) {}
  ~HeadFile() { ::unlink(spare_.c_str()); }
  HeadFile(const HeadFile&) = delete;
  HeadFile& operator=(const HeadFile&) = delete;

  void write(const JournalHead& head) {
    const std::string body = head_text(keys_, head);
    if (!fill_spare(body)) return;  // best effort, as write_head
    if (::renameat2(AT_FDCWD, spare_.c_str(), AT_FDCWD, path_.c_str(), RENAME_EXCHANGE) == 0) return;
    if (::rename(spare_.c_str(), path_.c_str()) != 0) ::unlink(spare_.c_str());
  }

 private:
  // The spare holds `body`, owner-only. What a swap brought in that is not a regular file (a
  // link planted as the head) is removed, never written through.
  bool fill_spare(const std::string& body) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      const int fd = ::open(spare_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
      struct stat st {};
      if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        const auto n = static_cast<off_t>(body.size());
        const bool ok = ((st.st_mode & 0777) == 0600 || ::fchmod(fd, 0600) == 0) &&
                        ::pwrite(fd, body.data(), body.size(), 0) == static_cast<ssize_t>(body.size()) &&
                        (st.st_size == n || ::ftruncate(fd, n) == 0);
        ::close(fd);
        if (ok) return true;
      } else if (fd >= 0) {
        ::close(fd);
      }
      ::unlink(spare_.c_str());
    }
    return false;
  }

  static inline std::atomic<int> made_{0};
  const std::string path_, spare_;
  const KeyRing keys_;
};
}  // namespace

bool write_head(const std::string& path, const KeyRing& keys, const JournalHead& head) {
  const std::string body = head_text(keys, head);
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

void anchor_journal(Database& db, const KeyRing& keys, bool adopt) {
  const std::string path = head_path_for(db.path());
  const auto head = read_head(path, keys);
  const std::int64_t max_invoice = scalar(db, "SELECT MAX(invoice_no) FROM sales");
  std::int64_t last_invoice = max_invoice;
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
  const auto file = std::make_shared<HeadFile>(path, keys);
  db.observe_journal_head(
      [file](std::int64_t seq, const std::string& hash, std::int64_t invoice) { file->write({seq, hash, invoice}); },
      last_invoice);
  if (head && !adopt) return;
  // First open since the head file exists (or a restore): take the journal as it stands.
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

}  // namespace hn::store
