// Backups and restores (DESIGN.md "Data": a daily backup copy, `VACUUM INTO`). A backup is the
// database copied by SQLite itself (a consistent snapshot, taken while the counter sells) plus
// the key file, without which the buyers' sealed data cannot be read; both owner-only. A copy
// counts only once it has been checked in full.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/paths.hpp"
#include "app/store_access.hpp"
#include "app/terminal.hpp"
#include "store/journal_head.hpp"
#include "store/reports.hpp"
#include "platform/crypto.hpp"
#include "platform/database.hpp"
#include "platform/signing.hpp"
#include "store/soundness.hpp"

namespace hn::app {

namespace fs = std::filesystem;

namespace {


bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

bool fsync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// Copies a file to a new owner-only file (never over an existing one) and syncs it to disk.
bool copy_private(const std::string& from, const std::string& to) {
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return false;
  const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out < 0) {
    ::close(in);
    return false;
  }
  bool ok = true;
  std::vector<char> buf(1 << 20);
  for (;;) {
    const ssize_t n = ::read(in, buf.data(), buf.size());
    if (n == 0) break;
    if (n < 0) {
      ok = false;
      break;
    }
    for (ssize_t done = 0; done < n;) {
      const ssize_t w = ::write(out, buf.data() + done, static_cast<std::size_t>(n - done));
      if (w <= 0) {
        ok = false;
        break;
      }
      done += w;
    }
    if (!ok) break;
  }
  ok = ok && ::fsync(out) == 0;
  ::close(in);
  ok = ::close(out) == 0 && ok;
  if (!ok) ::unlink(to.c_str());
  return ok;
}

// A few figures read from a file opened read-only and immutable (a backup is never written to).
using Figures = store::DatabaseFigures;

Figures figures_of(const std::string& path) {
  Figures f;
  try {
    auto db = platform::Database::open_immutable(path);
    f = store::Reports(db).database_figures();
  } catch (const platform::DbError&) {
    // A file that cannot be read shows no figures; its soundness check says why.
  }
  return f;
}

std::string two(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// "20260924-103205" for a local time.
std::string stamp(const LocalTime& t) {
  char date[16];
  std::snprintf(date, sizeof date, "%04d%02d%02d", t.date.year, t.date.month, t.date.day);
  const int s = t.seconds_of_day;
  return std::string(date) + "-" + two(s / 3600) + two(s / 60 % 60) + two(s % 60);
}

bool is_backup_name(const std::string& name) {
  return name.size() > 11 && name.compare(0, 8, "huinong-") == 0 && name.compare(name.size() - 3, 3, ".db") == 0;
}

void remove_quietly(const std::string& path) { ::unlink(path.c_str()); }
}  // namespace

Result<BackupResult> Terminal::backup(const UserRecord& actor, const std::string& dir) {
  if (actor.role != Role::Manager) return role_refused(actor);
  std::string to = dir;
  if (to.empty()) to = settings().backup_dir;
  if (to.empty())
    return bad_input("BACKUP_DIR_MISSING", "没有给出备份目录:用 --to 指定,或由店长设置 backup.dir",
                     "no backup directory: give --to, or have a manager set backup.dir");
  return make_backup(actor, to, false);
}

Result<std::optional<BackupResult>> Terminal::backup_if_due(const UserRecord& signed_in) {
  const Settings s = settings();
  const std::string dir = s.backup_dir;
  if (dir.empty() || s.backup_last_date == now().date.iso())
    return std::optional<BackupResult>{};
  auto made = make_backup(signed_in, dir, true);
  if (!made) return made.problem();
  // Keep the newest kBackupsKept: the names sort by the time they were made.
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (is_backup_name(e.path().filename().string())) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  for (std::size_t i = 0; i + kBackupsKept < names.size(); ++i) {
    const std::string path = (fs::path(dir) / names[i]).string();
    remove_quietly(path);
    remove_quietly(path + ".key");
    remove_quietly(path + ".sign");
    made->removed.push_back(path);
  }
  return std::optional<BackupResult>(std::move(made.value()));
}

Result<BackupResult> Terminal::make_backup(const UserRecord& actor, const std::string& dir, bool automatic) {
  // A copy of altered sales rows is no backup to restore: the older ones are kept instead.
  if (auto sound = check_sales_recorded(); !sound) return sound.problem();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec)
      return bad_input("BACKUP_DIR_INVALID", "无法创建备份目录 " + dir + ":" + ec.message(),
                       "cannot create the backup directory " + dir + ": " + ec.message());
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  BackupResult r;
  r.file = (fs::path(dir) / ("huinong-" + stamp(now()) + ".db")).string();
  r.key_file = r.file + ".key";
  // VACUUM INTO writes into an empty file: made here owner-only, so the copy is never readable
  // by others, not even for a moment.
  const int fd = ::open(r.file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return bad_input("BACKUP_FILE_EXISTS", "无法创建备份文件 " + r.file + "(已存在或目录不可写)",
                     "cannot create the backup file " + r.file + " (it exists or the directory is not writable)");
  ::close(fd);
  try {
    store_.db().vacuum_into(r.file);
  } catch (const platform::DbError& e) {
    remove_quietly(r.file);
    return Problem{ProblemKind::Internal, "BACKUP_FAILED", std::string("备份失败:") + e.what(),
                   std::string("the backup failed: ") + e.what()};
  }
  const store::Soundness s = store::check_file_fully(r.file);
  // The signing key goes with it: closings and invoice QR codes go on being signed by the
  // same key after a restore.
  const std::string sign_key = platform::SigningKey::path_for(store_.db().path());
  const bool signed_copy = !exists(sign_key) || copy_private(sign_key, r.file + ".sign");
  if (!s.ok() || !fsync_file(r.file) || !copy_private(store::Store::key_path_for(store_.db().path()), r.key_file) ||
      !signed_copy) {
    remove_quietly(r.file);
    remove_quietly(r.key_file);
    remove_quietly(r.file + ".sign");
    if (!s.ok()) {
      const store::DamagedError d = store::damaged(store_.db().path(), s, dir);
      return verification_failed("DATABASE_DAMAGED", d.zh(), d.en());
    }
    return bad_input("BACKUP_WRITE_FAILED", "无法写入备份 " + r.file + " 或其密钥文件",
                     "cannot write the backup " + r.file + " or its key file");
  }
  const Figures f = figures_of(r.file);
  r.sales = f.sales;
  r.journal_seq = f.journal_seq;
  r.sha256 = platform::file_sha256_hex(r.file);
  platform::Transaction tx(store_.db());
  put_setting(*this, kBackupLastDate, now().date.iso());
  journal(actor, "backup",
          {{"file", r.file}, {"sha256", r.sha256}, {"sales", r.sales}, {"journal_seq", r.journal_seq},
           {"automatic", automatic}});
  tx.commit();
  return r;
}

Result<RestoreResult> Terminal::restore(const std::string& from, const std::string& db_path, bool force,
                                        const Clock& clock) {
  RestoreResult r;
  r.db = db_path;
  r.from = from;
  const std::string from_key = store::Store::key_path_for(from);
  if (!exists(from))
    return bad_input("BACKUP_MISSING", "备份文件 " + from + " 不存在", "the backup file " + from + " does not exist");
  if (!exists(from_key))
    return bad_input("BACKUP_KEY_MISSING", "备份 " + from + " 缺少密钥文件 " + from_key + ",没有它数据无法读取",
                     "the backup " + from + " lacks its key file " + from_key + "; without it the data cannot be read");
  const std::string db_key = store::Store::key_path_for(db_path);
  const bool replacing = exists(db_path) || exists(db_key) || exists(db_path + "-wal");
  if (replacing && !force)
    return bad_input("DATABASE_EXISTS", "数据库 " + db_path + " 已存在:不会覆盖。确需用备份替换时加 --force(原文件会改名保留)",
                     "database " + db_path + " exists and will not be overwritten; add --force to replace it " +
                         "with the backup (the existing files are kept under another name)");
  const store::Soundness s = store::check_file_fully(from);
  if (!s.ok())
    return verification_failed("BACKUP_DAMAGED", "备份 " + from + " 已损坏(" + s.what_zh() + "),未做任何恢复:请用更早的备份",
                               "the backup " + from + " is damaged (" + s.what_en() +
                                   "); nothing was restored: use an earlier backup");
  try {
    platform::KeyRing::load(from_key);
  } catch (const platform::SetupError& e) {
    return bad_input("BACKUP_KEY_INVALID", e.zh(), e.en());
  }

  // Assemble beside the destination, check, then rename into place: a crash half-way leaves
  // the old database where it was.
  ensure_parent_dir(db_path);
  const std::string tmp = db_path + ".restoring";
  for (const char* suffix : {"", ".key", ".sign", ".head", "-wal", "-shm"}) remove_quietly(tmp + suffix);
  const bool has_sign = exists(from + ".sign");
  if (!copy_private(from, tmp) || !copy_private(from_key, store::Store::key_path_for(tmp)) ||
      (has_sign && !copy_private(from + ".sign", tmp + ".sign"))) {
    for (const char* suffix : {"", ".key", ".sign", ".head"}) remove_quietly(tmp + suffix);
    return bad_input("RESTORE_WRITE_FAILED", "无法写入 " + tmp, "cannot write " + tmp);
  }
  auto give_up = [&](Problem p) -> Result<RestoreResult> {
    for (const char* suffix : {"", ".key", ".sign", ".head", "-wal", "-shm"}) remove_quietly(tmp + suffix);
    return p;
  };
  const Figures f = figures_of(tmp);
  r.sales = f.sales;
  r.last_invoice_no = f.last_invoice_no;
  r.last_entry_at = f.last_entry_at;
  // The invoice numbers the database being replaced had issued, from its head file and its
  // rows as far as they still read: never issued again by the restored one.
  std::int64_t floor = replacing ? figures_of(db_path).last_invoice_no : 0;
  try {
    if (const auto old_head = store::read_head(store::head_path_for(db_path), platform::KeyRing::load(from_key)))
      floor = std::max(floor, old_head->last_invoice_no);
  } catch (const std::exception&) {
    // Another terminal's head, or none readable: the rows' figure stands.
  }
  try {
    store::Store restored = store::Store::open(tmp, /*restoring=*/true);
    // The key file must be this database's: the first sale's sealed ID must open with it.
    const std::int64_t first_id = restored.sales().first_id();
    try {
      if (first_id > 0) restored.sales().find(first_id);
    } catch (const std::exception&) {
      return give_up(bad_input("BACKUP_KEY_MISMATCH", "密钥文件 " + from_key + " 不属于备份 " + from,
                               "the key file " + from_key + " does not belong to the backup " + from));
    }
    const int offset = read_settings(restored).utc_offset_minutes;
    platform::Transaction tx(restored.db());
    const bool raise_floor = floor > r.last_invoice_no;
    if (raise_floor) restored.settings().set(store::kInvoiceFloorSetting, std::to_string(floor));
    restored.journal(local_time_from_unix(clock.unix_seconds(), offset).iso(), "system", "restore",
                     {{"from", from}, {"sales", r.sales}, {"last_invoice_no", r.last_invoice_no},
                      {"backup_last_entry_at", r.last_entry_at},
                      {"invoice_floor", raise_floor ? floor : r.last_invoice_no}});
    tx.commit();
  } catch (const platform::SetupError& e) {
    if (e.code() == "KEY_MISMATCH")  // the key check at open: as the contract has said since restore came
      return give_up(bad_input("BACKUP_KEY_MISMATCH", "密钥文件 " + from_key + " 不属于备份 " + from,
                               "the key file " + from_key + " does not belong to the backup " + from));
    return give_up(verification_failed("BACKUP_DAMAGED", e.zh(), e.en()));
  }
  if (replacing) {
    r.set_aside = db_path + ".replaced-" + stamp(local_time_from_unix(clock.unix_seconds(), 480));
    for (const char* suffix : {"", ".key", ".sign", ".head", "-wal", "-shm"}) {
      const std::string old = db_path + suffix;
      if (exists(old) && ::rename(old.c_str(), (r.set_aside + suffix).c_str()) != 0)
        return give_up(bad_input("RESTORE_WRITE_FAILED", "无法将 " + old + " 改名保留",
                                 "cannot set " + old + " aside"));
    }
  }
  if ((has_sign && ::rename((tmp + ".sign").c_str(), (db_path + ".sign").c_str()) != 0) ||
      ::rename(store::head_path_for(tmp).c_str(), store::head_path_for(db_path).c_str()) != 0 ||
      ::rename(store::Store::key_path_for(tmp).c_str(), db_key.c_str()) != 0 ||
      ::rename(tmp.c_str(), db_path.c_str()) != 0)
    return give_up(bad_input("RESTORE_WRITE_FAILED", "无法把恢复的数据库放到 " + db_path,
                             "cannot put the restored database at " + db_path));
  return r;
}

}  // namespace hn::app
