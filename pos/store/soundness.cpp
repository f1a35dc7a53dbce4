#include "store/soundness.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

#include "store/journal.hpp"
#include "store/migrations.hpp"

namespace hn::store {

namespace fs = std::filesystem;

namespace {
// The mark moves on after this many entries checked past it: most opens only read a few rows
// and write nothing (a `huinong` command that only reads stays a reader).
constexpr std::int64_t kMarkEvery = 256;

bool is_damage(int code) {
  const int primary = code & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

struct StmtFinalizer {
  void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

Stmt prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
  if (rc != SQLITE_OK) throw DbError(std::string("prepare: ") + sqlite3_errmsg(db), rc);
  return Stmt(st);
}

// Steps once: true with a row, false when done; throws DbError otherwise.
bool step(sqlite3* db, sqlite3_stmt* st) {
  const int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw DbError(std::string("step: ") + sqlite3_errmsg(db), sqlite3_extended_errcode(db));
}

std::string column_text(sqlite3_stmt* st, int i) {
  const auto* p = sqlite3_column_text(st, i);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(st, i)))
           : std::string();
}

std::string sqlite_check(sqlite3* db, const char* pragma) {
  auto st = prepare(db, pragma);
  std::string out;
  while (step(db, st.get())) {
    const std::string line = column_text(st.get(), 0);
    if (line != "ok") out += line + "\n";
  }
  return out;
}

std::string setting_or_empty(sqlite3* db, const char* key) {
  try {
    auto st = prepare(db, "SELECT value FROM settings WHERE key = ?");
    sqlite3_bind_text(st.get(), 1, key, -1, SQLITE_TRANSIENT);
    return step(db, st.get()) ? column_text(st.get(), 0) : std::string();
  } catch (const DbError&) {
    return {};
  }
}

constexpr const char* kQuickCheckSetting = "db.quick_check_date";
constexpr off_t kQuickCheckEveryOpenBytes = 16 * 1024 * 1024;

std::string utc_date_today() {
  const std::time_t now = std::time(nullptr);
  std::tm tm {};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string absolute_path(const std::string& p) {
  std::error_code ec;
  const auto a = fs::absolute(p, ec);
  return ec ? p : a.lexically_normal().string();
}
}  // namespace

std::string Soundness::what_zh() const {
  std::string s;
  if (!sqlite_problems.empty())
    s += "SQLite 检查发现问题:" + sqlite_problems.substr(0, sqlite_problems.find('\n'));
  if (broken_seq != 0)
    s += std::string(s.empty() ? "" : ";") + "日志第 " + std::to_string(broken_seq) + " 条与哈希链不符";
  return s;
}

std::string Soundness::what_en() const {
  std::string s;
  if (!sqlite_problems.empty())
    s += "SQLite's check found: " + sqlite_problems.substr(0, sqlite_problems.find('\n'));
  if (broken_seq != 0)
    s += std::string(s.empty() ? "" : "; ") + "journal entry " + std::to_string(broken_seq) +
         " does not match its hash chain";
  return s;
}

Soundness check_journal_after(sqlite3* db, std::int64_t after_seq, const std::string& after_hash) {
  Soundness s;
  if (after_seq > 0) {
    auto mark = prepare(db, "SELECT hash FROM journal WHERE seq = ?");
    sqlite3_bind_int64(mark.get(), 1, after_seq);
    if (!step(db, mark.get()) || column_text(mark.get(), 0) != after_hash) {
      s.broken_seq = after_seq;
      return s;
    }
  }
  auto st = prepare(db, "SELECT seq, at, user_login, kind, body, prev_hash, hash FROM journal "
                        "WHERE seq > ? ORDER BY seq");
  sqlite3_bind_int64(st.get(), 1, after_seq);
  std::string prev = after_seq > 0 ? after_hash : kGenesisHash;
  std::int64_t expected = after_seq + 1;
  while (step(db, st.get())) {
    const std::int64_t seq = sqlite3_column_int64(st.get(), 0);
    const std::string hash = column_text(st.get(), 6);
    if (seq != expected || column_text(st.get(), 5) != prev ||
        journal_hash(prev, seq, column_text(st.get(), 1), column_text(st.get(), 2), column_text(st.get(), 3),
                     column_text(st.get(), 4)) != hash) {
      s.broken_seq = expected;
      return s;
    }
    prev = hash;
    ++expected;
    ++s.journal_rows;
  }
  return s;
}

std::string newest_backup(const std::string& dir) {
  if (dir.empty()) return {};
  std::error_code ec;
  std::string newest;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() > 11 && name.compare(0, 8, "huinong-") == 0 &&
        name.compare(name.size() - 3, 3, ".db") == 0 && name > fs::path(newest).filename().string())
      newest = e.path().string();
  }
  return newest;
}

DamagedError damaged(const std::string& db_path, const Soundness& s, const std::string& backup_dir) {
  std::string from = newest_backup(backup_dir);
  if (from.empty()) from = "BACKUP.db";
  const std::string cmd = "huinong restore --from " + from + " --db " + db_path + " --force";
  return DamagedError(
      "数据库 " + db_path + " 已损坏(" + s.what_zh() + "),请勿继续使用。请恢复最近的备份:" + cmd +
          "(损坏的文件会改名保留在原处),备份之后的销售请按纸质发票核对补录",
      "database " + db_path + " is damaged (" + s.what_en() + "); do not go on using it. Restore the last " +
          "backup: " + cmd + " (the damaged file is kept beside it under another name), then check the " +
          "sales made since the backup against the paper invoices");
}

bool previous_session_unclean(const std::string& db_path) {
  static std::mutex mutex;
  static std::set<std::string> opened_here;
  const std::string key = absolute_path(db_path);
  std::lock_guard<std::mutex> lock(mutex);
  // Never probe a file this process has open: closing a descriptor of it would drop the POSIX
  // locks SQLite holds on it.
  if (!opened_here.insert(key).second) return false;
  struct stat st {};
  if (::stat((db_path + "-wal").c_str(), &st) != 0 || st.st_size == 0) return false;
#ifdef _WIN32
  return true;  // the log is there: someone has it open or it was left behind; check to be safe
#else
  // Every SQLite connection holds a shared lock on the "dead man switch" byte of the -shm file
  // (offset 128, os_unix.c UNIX_SHM_DMS) while it is open; nobody holding it means the log was
  // left behind by a process that died.
  const int fd = ::open((db_path + "-shm").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return true;
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  fl.l_start = 128;
  fl.l_len = 1;
  const bool probed = ::fcntl(fd, F_GETLK, &fl) == 0;
  ::close(fd);
  return probed && fl.l_type == F_UNLCK;
#endif
}

Database open_checked(const std::string& db_path) {
  const bool unclean = previous_session_unclean(db_path);
  std::string backup_dir;
  Soundness s;
  try {
    Database db = Database::open(db_path, false, hn::store::terminal_migrations());
    sqlite3* h = db.handle();
    backup_dir = setting_or_empty(h, "backup.dir");
    std::int64_t mark_seq = 0;
    std::string mark_hash = kGenesisHash;
    if (!unclean) {
      std::istringstream in(setting_or_empty(h, kJournalVerifiedSetting));
      std::int64_t seq = 0;
      std::string hash;
      if (in >> seq >> hash && seq > 0) {
        mark_seq = seq;
        mark_hash = hash;
      }
    }
    // Damage in the middle of the file (a bad disk page) shows in quick_check (about 9 ms a
    // MB): at every open of a file up to kQuickCheckEveryOpenBytes (a shop's year or two of
    // sales), else after an unclean end and at the first open of each day. The daily backup
    // checks the whole file again.
    const std::string today = utc_date_today();
    struct stat file {};
    const bool small = ::stat(db_path.c_str(), &file) == 0 && file.st_size <= kQuickCheckEveryOpenBytes;
    const bool daily_due = small || setting_or_empty(h, kQuickCheckSetting) != today;
    if (unclean || daily_due) s.sqlite_problems = sqlite_check(h, "PRAGMA quick_check");
    if (s.sqlite_problems.empty()) {
      const Soundness j = check_journal_after(h, mark_seq, mark_hash);
      s.broken_seq = j.broken_seq;
      s.journal_rows = j.journal_rows;
    }
    if (!s.ok()) throw damaged(db_path, s, backup_dir);
    if (daily_due && !small) {
      try {
        db.prepare("INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .bind(1, kQuickCheckSetting)
            .bind(2, today)
            .run();
      } catch (const DbError&) {
        // Busy or read-only: checked again at the next open.
      }
    }
    if (unclean || s.journal_rows >= kMarkEvery) {
      try {
        // The last entry, as just verified (an entry appended since is checked next time).
        auto last = prepare(h, "SELECT seq, hash FROM journal WHERE seq = ?");
        sqlite3_bind_int64(last.get(), 1, mark_seq + s.journal_rows);
        if (step(h, last.get())) {
          const std::string value = std::to_string(sqlite3_column_int64(last.get(), 0)) + " " +
                                    column_text(last.get(), 1);
          last.reset();
          db.prepare("INSERT INTO settings(key, value) VALUES(?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
              .bind(1, kJournalVerifiedSetting)
              .bind(2, value)
              .run();
        }
      } catch (const DbError&) {
        // Busy or read-only: the mark is a shortcut, the next open walks a little further.
      }
    }
    return db;
  } catch (const DbError& e) {
    if (!is_damage(e.code())) throw;
    s.sqlite_problems = e.what();
    throw damaged(db_path, s, backup_dir);
  }
}

Soundness check_file_fully(const std::string& path) {
  sqlite3* raw = nullptr;
  const std::string uri = immutable_uri(path);
  const int rc = sqlite3_open_v2(uri.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close_v2);
  Soundness s;
  if (rc != SQLITE_OK) {
    s.sqlite_problems = std::string("cannot open: ") + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
    return s;
  }
  try {
    s.sqlite_problems = sqlite_check(raw, "PRAGMA integrity_check");
    if (s.sqlite_problems.empty()) {
      const Soundness j = check_journal_after(raw, 0, kGenesisHash);
      s.broken_seq = j.broken_seq;
      s.journal_rows = j.journal_rows;
    }
  } catch (const DbError& e) {
    s.sqlite_problems = e.what();
  }
  return s;
}

}  // namespace hn::store
