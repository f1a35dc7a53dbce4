#pragma once
// A thin RAII layer over SQLite. Errors of the database itself (disk full, corruption,
// locked beyond the busy timeout) are exceptional and thrown as DbError; rule refusals never
// come through here.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace hn::store {

class DbError : public std::runtime_error {
 public:
  DbError(const std::string& what, int code) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// The database or its key file is missing, already exists, or belongs to a newer program:
// something the person running the terminal can act on, not a crash. `code` is the stable
// refusal code; `verification` marks what proves the files are not what they must be (a key
// of another terminal, a damaged database: exit 5) rather than a mistake in what was asked.
class SetupError : public std::runtime_error {
 public:
  SetupError(std::string zh, std::string en, std::string code = "SETUP", bool verification = false)
      : std::runtime_error(zh + " / " + en), zh_(std::move(zh)), en_(std::move(en)),
        code_(std::move(code)), verification_(verification) {}
  const std::string& zh() const { return zh_; }
  const std::string& en() const { return en_; }
  const std::string& code() const { return code_; }
  bool verification() const { return verification_; }

 private:
  std::string zh_, en_, code_;
  bool verification_ = false;
};

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

class Database {
 public:
  // Opens (creating when `create` is true) and brings the schema up to date. The file is
  // created owner-only; WAL journal; foreign keys on.
  static Database open(const std::string& path, bool create);
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
  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }
  // PRAGMA integrity_check: empty when sound, else SQLite's complaints.
  std::string integrity_problems();

  // The journal's head, told to `observer` after each commit that appended to the journal
  // (journal_append notes it; a rollback forgets it), with the highest invoice number noted.
  // Only the terminal's store sets one (journal_head.hpp).
  using HeadObserver = std::function<void(std::int64_t seq, const std::string& hash, std::int64_t last_invoice_no)>;
  void observe_journal_head(HeadObserver observer, std::int64_t last_invoice_no);
  void note_journal_head(std::int64_t seq, const std::string& hash);
  void note_invoice_no(std::int64_t invoice_no);
  struct HeadHooks;

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
  std::unique_ptr<HeadHooks> head_;  // on the heap: SQLite's hooks hold its address across moves
};

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

}  // namespace hn::store
