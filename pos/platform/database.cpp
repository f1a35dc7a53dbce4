#include "platform/database.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace hn::platform {

namespace {
[[noreturn]] void fail(sqlite3* db, int rc, std::string_view context) {
  throw DbError(std::string(context) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)), rc);
}
}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) fail(db, rc, "prepare " + std::string(sql.substr(0, 60)));
}

Statement::~Statement() {
  if (!in_use_) {
    sqlite3_finalize(stmt_);
  } else if (stmt_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  }
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), in_use_(std::move(other.in_use_)) {
  other.stmt_ = nullptr;
}

Statement Database::prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    Cached c;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &c.stmt, nullptr);
    if (rc != SQLITE_OK) fail(db_, rc, "prepare " + std::string(sql.substr(0, 60)));
    it = cache_.emplace(std::string(sql), std::move(c)).first;
  }
  // The same SQL used twice at once (a nested loop): the second gets its own statement.
  if (*it->second.in_use) return Statement(db_, sql);
  *it->second.in_use = true;
  return Statement(db_, it->second.stmt, it->second.in_use);
}

void Database::finalize_cache() {
  for (auto& [sql, c] : cache_) sqlite3_finalize(c.stmt);
  cache_.clear();
}

namespace {
// BEGIN and COMMIT from the statement cache: sqlite3_exec would prepare them on every use (a
// sale has two). A failure reads as it did through exec.
void run_cached(Database& db, const char* sql) {
  try {
    db.prepare(sql).run();
  } catch (const DbError& e) {
    const std::string what = e.what();
    throw DbError("exec: " + (what.rfind("step: ", 0) == 0 ? what.substr(6) : what), e.code());
  }
}
}  // namespace

ReadTransaction::ReadTransaction(Database& db) : db_(db) { run_cached(db_, "BEGIN"); }

ReadTransaction::~ReadTransaction() {
  try {
    run_cached(db_, "COMMIT");
  } catch (...) {
    // A read transaction has nothing to lose; the next statement reports a broken connection.
  }
}

Statement& Statement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  const int rc = sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                                   SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind_blob(int index, const std::vector<unsigned char>& blob) {
  const int rc = sqlite3_bind_blob(stmt_, index, blob.data(), static_cast<int>(blob.size()),
                                   SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, rc, "step");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
           : std::string();
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::vector<unsigned char> Statement::blob(int column) const {
  const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(stmt_, column));
  const int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::vector<unsigned char>(p, p + n) : std::vector<unsigned char>();
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Database Database::open(const std::string& path, bool create, const Migrations& migrations) {
  if (create) {
    // Create the file owner-only before SQLite opens it: it holds personal data.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
  }
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    throw DbError("cannot open database " + path + ": " + msg, rc);
  }
  Database d(db, path);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_extended_result_codes(db, 1);
  if (!create) {
    // An existing file must already hold the schema: an empty file or another program's
    // database is never given ours (nothing may be rewritten before this).
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && st.st_size == 0)
      throw DbError("not a Huinong database: the file " + path + " is empty", SQLITE_NOTADB);
    if (migrations.present && !migrations.present(d))
      throw DbError("not a Huinong database: " + path + " holds no " + migrations.schema + " schema",
                    SQLITE_NOTADB);
  }
  // SQLite gives the -wal and -shm files the database file's own (owner-only) mode.
  d.exec("PRAGMA journal_mode=WAL");
  // A committed sale must survive a power cut (DESIGN.md "Data").
  d.exec("PRAGMA synchronous=FULL");
  d.exec("PRAGMA foreign_keys=ON");
  d.exec("PRAGMA secure_delete=ON");
  if (migrations.migrate) migrations.migrate(d);
  return d;
}

Migrations numbered_migrations(std::string schema, std::vector<std::string_view> steps) {
  Migrations m;
  m.schema = std::move(schema);
  m.present = [](Database& db) { return db.schema_version() != 0; };
  m.migrate = [steps = std::move(steps)](Database& db) {
    const int latest = static_cast<int>(steps.size());
    const int current = db.schema_version();
    if (current > latest)
      throw SetupError("数据库版本 " + std::to_string(current) + " 比本程序新:请升级程序",
                       "database schema " + std::to_string(current) + " is newer than this program (" +
                           std::to_string(latest) + "): upgrade the program");
    if (current == latest) return;
    // A table other tables refer to is rebuilt with foreign keys off (SQLite's own way of changing
    // a table: the DROP would otherwise count every row that refers to it as broken); a migration
    // only copies rows, and the connection has them on again before anything else runs. The
    // pragma is a no-op inside a transaction, so it goes around them.
    struct ForeignKeysOff {
      Database& db;
      explicit ForeignKeysOff(Database& d) : db(d) { db.exec("PRAGMA foreign_keys=OFF"); }
      ~ForeignKeysOff() {
        try {
          db.exec("PRAGMA foreign_keys=ON");
        } catch (...) {
          // Only when the connection is already broken; the exception in flight says why.
        }
      }
    } keys_off(db);
    for (int v = current; v < latest; ++v) {
      Transaction tx(db);
      db.exec(steps[static_cast<std::size_t>(v)]);
      db.exec("PRAGMA user_version = " + std::to_string(v + 1));
      tx.commit();
    }
  };
  return m;
}

namespace {
std::string uri_escape(const std::string& path) {
  std::string out;
  for (unsigned char ch : path) {
    if (ch == '%' || ch == '?' || ch == '#' || ch < 0x20) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      out += buf;
    } else {
      out += static_cast<char>(ch);
    }
  }
  return out;
}

std::string absolute_path(const std::string& p) {
  std::error_code ec;
  const auto a = std::filesystem::absolute(p, ec);
  return ec ? p : a.lexically_normal().string();
}
}  // namespace

std::string immutable_uri(const std::string& path) {
  return "file:" + uri_escape(absolute_path(path)) + "?immutable=1";
}

Database Database::open_immutable(const std::string& path) {
  sqlite3* db = nullptr;
  const std::string uri = immutable_uri(path);
  const int rc = sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    throw DbError("cannot open database " + path + ": " + msg, rc);
  }
  return Database(db, path);
}

void Database::vacuum_into(const std::string& file) {
  // Its own statement, not the cache's: a copy is made once in a while.
  Statement(db_, "VACUUM INTO ?").bind(1, file).run();
}

namespace {
// Called by SQLite after a commit in WAL mode, the write lock released: the commit is durable.
int on_wal_commit(void* arg, sqlite3* db, const char* name, int frames) {
  try {
    static_cast<CommitObserver*>(arg)->committed();
  } catch (...) {
    // The observer is a check, not the transaction (CommitObserver).
  }
  // What SQLite's own auto-checkpoint (replaced by this hook) would do.
  if (frames >= 1000) sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  return SQLITE_OK;
}

void on_rollback(void* arg) {
  try {
    static_cast<CommitObserver*>(arg)->rolled_back();
  } catch (...) {
  }
}
}  // namespace

void Database::observe_commits(std::unique_ptr<CommitObserver> observer) {
  observer_ = std::move(observer);
  sqlite3_wal_hook(db_, on_wal_commit, observer_.get());
  sqlite3_rollback_hook(db_, on_rollback, observer_.get());
}

Database::Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

Database::~Database() {
  finalize_cache();
  if (db_) sqlite3_close_v2(db_);
}

Database::Database(Database&& other) noexcept
    : db_(other.db_), path_(std::move(other.path_)), cache_(std::move(other.cache_)),
      observer_(std::move(other.observer_)) {
  other.db_ = nullptr;
  other.cache_.clear();
}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    finalize_cache();
    if (db_) sqlite3_close_v2(db_);
    db_ = other.db_;
    path_ = std::move(other.path_);
    cache_ = std::move(other.cache_);
    observer_ = std::move(other.observer_);
    other.db_ = nullptr;
    other.cache_.clear();
  }
  return *this;
}

void Database::exec(std::string_view sql) {
  char* err = nullptr;
  const std::string s(sql);
  const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw DbError("exec: " + msg, rc);
  }
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

int Database::schema_version() {
  auto st = prepare("PRAGMA user_version");
  st.step();
  return st.integer(0);
}

std::int64_t Database::data_version() {
  auto st = prepare("PRAGMA data_version");
  st.step();
  return st.int64(0);
}

std::string Database::integrity_problems() {
  auto st = prepare("PRAGMA integrity_check");
  std::string out;
  while (st.step()) {
    const auto line = st.text(0);
    if (line != "ok") out += line + "\n";
  }
  return out;
}

Transaction::Transaction(Database& db) : db_(db) { run_cached(db_, "BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (...) {
      // The connection is already unusable; the exception in flight says why.
    }
  }
}

void Transaction::commit() {
  run_cached(db_, "COMMIT");
  done_ = true;
}

}  // namespace hn::platform
