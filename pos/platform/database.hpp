#pragma once
// A thin RAII layer over SQLite. Errors of the database itself (disk full, corruption,
// locked beyond the busy timeout) are exceptional and thrown as DbError; rule refusals never
// come through here. It holds no schema: whoever opens a file passes the migrations of its
// own (the terminal's store/migrations.cpp, the sandbox's province_schema.cpp).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "platform/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace hn::platform {

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  // A statement from the connection's cache: reset and handed back, not finalized, when done.
  Statement(sqlite3* db, sqlite3_stmt* cached, std::shared_ptr<bool> in_use)
      : db_(db), stmt_(cached), in_use_(std::move(in_use)) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;

  // Binds by 1-based index; returns *this to chain.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind_blob(int index, const std::vector<unsigned char>& blob);
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::string>& text);

  // Steps once: true when a row is available, false when done.
  bool step();
  // Steps to completion, for statements that return no rows.
  void run();
  void reset();

  std::int64_t int64(int column) const;
  int integer(int column) const { return static_cast<int>(int64(column)); }
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::vector<unsigned char> blob(int column) const;
  bool is_null(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::shared_ptr<bool> in_use_;  // set for a cached statement
};

class Database;

// How a file's owner brings its schema up to date: the platform runs it at open.
struct Migrations {
  // Names the schema in the refusal of a file that holds none of it ("terminal").
  std::string schema;
  // Whether an existing file (opened without `create`) holds the schema: asked before anything
  // is written to it, so another program's database is never given ours. Empty: any file.
  std::function<bool(Database&)> present;
  // Brings the schema to its newest version, the connection set up (WAL, foreign keys).
  std::function<void(Database&)> migrate;
};

// Migrations as numbered steps counted in PRAGMA user_version, each run once in its own
// transaction; a file newer than the program is refused (SetupError). Append, never edit a
// step that has shipped.
Migrations numbered_migrations(std::string schema, std::vector<std::string_view> steps);

// Told of each commit once it is durable (in WAL mode: after SQLite released the write lock)
// and of each rollback, so what a file's owner keeps beside the database follows what the
// database holds (the terminal's journal head, store/journal_head.hpp). Exceptions thrown
// from either are swallowed: the observer is a check, not the transaction.
class CommitObserver {
 public:
  virtual ~CommitObserver() = default;
  virtual void committed() = 0;
  virtual void rolled_back() = 0;
};

class Database {
 public:
  // Opens (creating when `create` is true) and brings the schema up to date with
  // `migrations`. The file is created owner-only; WAL journal; foreign keys on.
  static Database open(const std::string& path, bool create, const Migrations& migrations);
  // Opens `path` read-only and immutable (immutable_uri): no lock, no -wal or -shm, nothing
  // written. For reading figures out of a backup.
  static Database open_immutable(const std::string& path);
  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(std::string_view sql);
  // Prepared once per connection and SQL text, then reused (a sale runs the same few dozen
  // statements every time); a statement still in use is never handed out twice.
  Statement prepare(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;
  int schema_version();
  // PRAGMA data_version: changes when another connection has committed since this one last
  // looked, so that what was read before (a cache) may be stale.
  std::int64_t data_version();
  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }
  // PRAGMA integrity_check: empty when sound, else SQLite's complaints.
  std::string integrity_problems();
  // SQLite's online copy of the whole database into `file` (VACUUM INTO), which must be empty
  // or absent: a consistent copy while others keep writing. Throws DbError.
  void vacuum_into(const std::string& file);

  // From now on tells `observer` of every commit and rollback on this connection (replacing
  // any earlier one). While one is set, this also runs SQLite's passive auto-checkpoint.
  void observe_commits(std::unique_ptr<CommitObserver> observer);
  CommitObserver* commit_observer() const { return observer_.get(); }

 private:
  Database(sqlite3* db, std::string path);
  void finalize_cache();
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    std::shared_ptr<bool> in_use = std::make_shared<bool>(false);
  };
  sqlite3* db_ = nullptr;
  std::string path_;
  std::unordered_map<std::string, Cached> cache_;
  // On the heap: SQLite's hooks hold its address across moves.
  std::unique_ptr<CommitObserver> observer_;
};

// The SQLite URI that opens `path` read-only and immutable: no lock, no -wal or -shm, nothing
// written (a backup is never touched by reading it).
std::string immutable_uri(const std::string& path);

// BEGIN (deferred) ... COMMIT around reads, so several reads see one snapshot and pay for one
// transaction; ends on destruction and never throws there.
class ReadTransaction {
 public:
  explicit ReadTransaction(Database& db);
  ~ReadTransaction();
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Database& db_;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed without commit().
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace hn::platform
