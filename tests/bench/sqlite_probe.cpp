#include "sqlite_probe.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "bench.hpp"

namespace hn::bench {

int pages_written(sqlite3* db) {
  int current = 0, highest = 0;
  sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_WRITE, &current, &highest, 0);
  return current;
}

StatementTrace::StatementTrace(sqlite3* db) : db_(db) {
  for (sqlite3_stmt* st = sqlite3_next_stmt(db_, nullptr); st; st = sqlite3_next_stmt(db_, st)) held_before_.insert(st);
  sqlite3_trace_v2(db_, SQLITE_TRACE_STMT, &StatementTrace::on_statement, this);
}

StatementTrace::~StatementTrace() { sqlite3_trace_v2(db_, 0, nullptr, nullptr); }

int StatementTrace::on_statement(unsigned, void* self, void* statement, void* text) {
  // Statements of a trigger body come as "-- TRIGGER ...": not prepared by the caller.
  const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(statement));
  const char* t = static_cast<const char*>(text);
  if (!sql || (t && t[0] == '-' && t[1] == '-')) return 0;
  auto* trace = static_cast<StatementTrace*>(self);
  ++trace->counts_[sql];
  if (!trace->held_before_.count(statement)) ++trace->fresh_[sql];
  return 0;
}

void print_pages(const std::map<std::string, int>& pages) {
  std::vector<std::pair<int, std::string>> sorted;
  for (const auto& [name, n] : pages) sorted.emplace_back(n, name);
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
  for (const auto& [n, name] : sorted) std::printf("    %3d  %s\n", n, name.c_str());
}

namespace {
// Mean cost of sqlite3_prepare_v2 + sqlite3_finalize of `sql` on `db`, ns.
double prepare_ns(sqlite3* db, const std::string& sql) {
  constexpr int kRounds = 200;
  const Stopwatch sw;
  for (int i = 0; i < kRounds; ++i) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &st, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot prepare " + sql);
    sqlite3_finalize(st);
  }
  return static_cast<double>(sw.ns()) / kRounds;
}
}  // namespace

StatementSummary summarize(sqlite3* db, const std::map<std::string, int>& counts) {
  StatementSummary s;
  double ns = 0;
  for (const auto& [sql, n] : counts) {
    s.run += n;
    if (sql.find("FROM settings WHERE key") != std::string::npos) s.settings_reads += n;
    ns += n * prepare_ns(db, sql);
  }
  s.prepare_ms = ns / 1e6;
  return s;
}

void print_statements(const std::map<std::string, int>& counts) {
  for (const auto& [sql, n] : counts) std::printf("    %3dx %.90s\n", n, sql.c_str());
}

}  // namespace hn::bench
