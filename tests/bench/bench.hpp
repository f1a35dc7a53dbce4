#pragma once
// The benchmark harness of tests/bench: timing, figures, the budget table and the registry of
// benchmarks. A benchmark is one function `void(const Options&, Report&)` that prints its own
// details and adds one BudgetLine per budget of DESIGN.md "Budgets" it measures. Benchmarks
// never pass or fail anything: they print "met" or "MISSED" and the process still exits 0.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "temp_dir.hpp"  // tests/support

namespace hn::bench {

struct Options {
  std::int64_t sales = 1'000'000;          // size of the generated store (policy check, ...)
  std::string dir = "/tmp/huinong-bench";  // temp files and the cached generated store
  int checkouts = 300;                     // measured checkouts (each a different household)
  int carts = 10'000;                      // measured policy checks
  bool regenerate = false;                 // ignore the cached generated store
};

// Wall-clock durations in nanoseconds.
class Samples {
 public:
  void reserve(std::size_t n) { ns_.reserve(n); }
  void add(std::int64_t ns) { ns_.push_back(ns); }
  std::size_t size() const { return ns_.size(); }
  // Nearest-rank percentile, p in [0, 100]; in milliseconds.
  double percentile_ms(double p) const;
  double median_ms() const { return percentile_ms(50); }
  double max_ms() const { return percentile_ms(100); }
  double mean_ms() const;

 private:
  std::vector<std::int64_t> ns_;
};

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  std::int64_t ns() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                                start_)
        .count();
  }
  double seconds() const { return static_cast<double>(ns()) / 1e9; }
  void restart() { start_ = std::chrono::steady_clock::now(); }

 private:
  std::chrono::steady_clock::time_point start_;
};

// One line of the budget table.
struct BudgetLine {
  std::string name;      // "checkout commit (median)"
  double measured_ms = 0;
  double floor_ms = 0;   // the figure the budget is a ratio of, or a reference floor
  std::string budget;    // "<= 1.5x floor", "<= 1.000 ms"
  bool met = false;
  double limit = 0;        // the budget's number: 1.5 (a ratio of the floor) or 1.0 (ms)
  bool of_floor = false;   // whether `limit` is a ratio of the floor rather than milliseconds
};

class Report {
 public:
  void add(BudgetLine line) { lines_.push_back(std::move(line)); }
  void print() const;

 private:
  std::vector<BudgetLine> lines_;
};

struct Benchmark {
  const char* name;  // selectable on the command line
  const char* what;  // one line for --help
  void (*run)(const Options&, Report&);
};

// One entry per benchmark, in the order `all` runs them (main.cpp).
const std::vector<Benchmark>& benchmarks();

void bench_checkout(const Options& options, Report& report);
void bench_policy(const Options& options, Report& report);
void bench_report(const Options& options, Report& report);

// CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID), ns: unlike wall time, it does
// not grow while the thread waits for the disk or for a CPU another process holds.
std::int64_t thread_cpu_ns();
// Times this process was preempted (getrusage ru_nivcsw): other work on the machine.
long involuntary_context_switches();
// "2 CPUs, load average 0.12 0.30 0.25": said before measuring, since other work running on
// the machine shows up in every tail figure.
std::string machine_note();

// "  median 0.412 ms  p90 0.533 ms  p99 0.901 ms  max 1.204 ms  (n=300)"
std::string describe(const Samples& s);
std::string format_ms(double ms);
// A fresh directory under a parent the run names: tests/support's.
using test::TempDir;
// "ext4", "tmpfs", ... of the filesystem holding `path`: fsync on tmpfs costs nothing, which
// makes a commit floor meaningless, so the benchmarks say where they ran.
std::string filesystem_type(const std::string& path);
// Peak resident set of this process (getrusage ru_maxrss), MiB.
double peak_rss_mib();
// Size of a file in MiB (0 when missing).
double file_mib(const std::string& path);

}  // namespace hn::bench
