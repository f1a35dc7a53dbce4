#include "store/store.hpp"

#include <sys/stat.h>

#include <optional>
#include <stdexcept>

#include "store/journal_head.hpp"
#include "store/sale_ledger.hpp"
#include "store/soundness.hpp"
#include "store/migrations.hpp"

namespace hn::store {

namespace {
bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}
}  // namespace

Store Store::open(const std::string& db_path, bool restoring) {
  if (!file_exists(db_path))
    throw SetupError("数据库 " + db_path + " 不存在:请先运行 huinong init,或用 --db 指定",
                     "database " + db_path + " does not exist: run huinong init first, or name it with --db");
  KeyRing keys = KeyRing::load(key_path_for(db_path));
  Database db = open_checked(db_path);
  check_keys(db, keys, key_path_for(db_path));
  anchor_journal(db, keys, restoring);
  // The newest sales against their journal entries: a few hundred entries, milliseconds. The
  // whole table is compared by every backup, closing and auditor's export.
  std::int64_t last_seq = 0;
  {
    auto st = db.prepare("SELECT COALESCE(MAX(seq), 0) FROM journal");
    if (st.step()) last_seq = st.int64(0);
  }
  if (const auto m = check_sales_against_journal(db, std::max<std::int64_t>(1, last_seq - kStartupSalesWindow)))
    throw sales_damaged(db_path, *m);
  return Store(std::move(db), std::move(keys));
}

Store Store::create(const std::string& db_path) {
  if (file_exists(db_path) || file_exists(key_path_for(db_path)) || file_exists(head_path_for(db_path)))
    throw SetupError("数据库 " + db_path + " 已存在,不会覆盖",
                     "database " + db_path + " already exists and will not be overwritten", "DATABASE_EXISTS");
  KeyRing keys = KeyRing::create(key_path_for(db_path));
  Database db = Database::open(db_path, true, hn::store::terminal_migrations());
  db.prepare("INSERT INTO settings(key, value) VALUES(?, ?)").bind(1, kKeyCheckSetting).bind(2, keys.check_value()).run();
  anchor_journal(db, keys, true);
  return Store(std::move(db), std::move(keys));
}

DamagedError sales_damaged(const std::string& db_path, const SaleMismatch& m) {
  return DamagedError("数据库 " + db_path + " 已损坏或被改动:" + m.what_zh + "。请勿继续使用,恢复最近的备份(huinong restore),"
                          "并按纸质发票核对",
                      "database " + db_path + " is damaged or was altered: " + m.what_en + ". Do not go on using it; " +
                          "restore the last backup (huinong restore) and check against the paper invoices");
}

void Store::check_keys(Database& db, const KeyRing& keys, const std::string& key_path) {
  const SetupError mismatch(
      "密钥文件 " + key_path + " 不是这个数据库的密钥(另一网点的,或已被改动):终端不会用它读写任何数据。请从备份中取回本数据库的 .key 文件",
      "the key file " + key_path + " is not this database's key (another outlet's, or changed): the terminal " +
          "will not read or write anything with it. Put back this database's .key file from the backup",
      "KEY_MISMATCH", true);
  std::string recorded;
  {
    auto st = db.prepare("SELECT value FROM settings WHERE key = ?");
    st.bind(1, kKeyCheckSetting);
    if (st.step()) recorded = st.text(0);
  }
  if (!recorded.empty()) {
    if (!keys.matches_check(recorded)) throw mismatch;
    return;
  }
  // A terminal older than the check: the newest sale must open and hash as it was sealed.
  auto st = db.prepare("SELECT buyer_id_enc, buyer_id_hash FROM sales ORDER BY id DESC LIMIT 1");
  if (st.step()) {
    std::string id;
    try {
      id = keys.open(st.blob(0));
    } catch (const std::exception&) {
      throw mismatch;
    }
    if (keys.lookup_hash("id", id) != st.text(1)) throw mismatch;
  }
  st.reset();
  try {
    db.prepare("INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO NOTHING")
        .bind(1, kKeyCheckSetting)
        .bind(2, keys.check_value())
        .run();
  } catch (const DbError&) {
    // Busy or read-only: recorded at the next open.
  }
}

}  // namespace hn::store
