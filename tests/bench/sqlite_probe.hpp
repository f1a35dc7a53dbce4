#pragma once
// Looking into what the store does on its SQLite connection, without changing how it does it:
// the statements a call runs, what preparing them costs, the pages a commit writes.
#include <map>
#include <string>

struct sqlite3;

namespace hn::bench {

// Pages SQLite has written for this connection so far (to the WAL, in WAL mode).
int pages_written(sqlite3* db);

// Records the statements run on a connection while it lives, by SQL text (sqlite3_trace_v2).
// The store prepares each statement for its single use, so a statement run is also a statement
// prepared. Tracing slows the calls down: never trace a timed call.
class StatementTrace {
 public:
  explicit StatementTrace(sqlite3* db);
  ~StatementTrace();
  StatementTrace(const StatementTrace&) = delete;
  StatementTrace& operator=(const StatementTrace&) = delete;
  const std::map<std::string, int>& counts() const { return counts_; }

 private:
  static int on_statement(unsigned, void* self, void* statement, void* text);
  sqlite3* db_;
  std::map<std::string, int> counts_;
};

struct StatementSummary {
  int run = 0;             // statements run
  int settings_reads = 0;  // of which reads of one `settings` row
  double prepare_ms = 0;   // what preparing all of them once costs (each re-prepared 200 times)
};
StatementSummary summarize(sqlite3* db, const std::map<std::string, int>& counts);
// "    21x SELECT value FROM settings WHERE key = ?", one line per distinct statement.
void print_statements(const std::map<std::string, int>& counts);

}  // namespace hn::bench
