#pragma once
// Looking into what the store does on its SQLite connection, without changing how it does it:
// the statements a call runs, what preparing them costs, the pages a commit writes.
#include <map>
#include <set>
#include <string>

#include "wal_probe.hpp"

struct sqlite3;

namespace hn::bench {

// Pages SQLite has written for this connection so far (to the WAL, in WAL mode).
int pages_written(sqlite3* db);

// Records the statements run on a connection while it lives, by SQL text (sqlite3_trace_v2),
// and which of them were prepared while it lived: a statement the connection did not hold
// when the trace began (sqlite3_next_stmt) was prepared afresh, not taken from the store's
// cache. Tracing slows the calls down: never trace a timed call.
class StatementTrace {
 public:
  explicit StatementTrace(sqlite3* db);
  ~StatementTrace();
  StatementTrace(const StatementTrace&) = delete;
  StatementTrace& operator=(const StatementTrace&) = delete;
  const std::map<std::string, int>& counts() const { return counts_; }
  // Runs of statements prepared since the trace began, by SQL text.
  const std::map<std::string, int>& prepared_afresh() const { return fresh_; }

 private:
  static int on_statement(unsigned, void* self, void* statement, void* text);
  sqlite3* db_;
  std::set<const void*> held_before_;
  std::map<std::string, int> counts_, fresh_;
};

using test::empty_wal;          // wal_probe.hpp (tests/support): the checkout's write set is
using test::wal_pages_by_btree;  // also a test (tests/app/checkout_test.cpp)

struct StatementSummary {
  int run = 0;             // statements run
  int settings_reads = 0;  // of which reads of one `settings` row
  double prepare_ms = 0;   // what preparing all of them once costs (each re-prepared 200 times)
};
StatementSummary summarize(sqlite3* db, const std::map<std::string, int>& counts);
// "    21x SELECT value FROM settings WHERE key = ?", one line per distinct statement.
void print_statements(const std::map<std::string, int>& counts);
// "      3  sales_by_household", one line per B-tree, most pages first.
void print_pages(const std::map<std::string, int>& pages);

}  // namespace hn::bench
