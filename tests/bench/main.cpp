// huinong_bench [NAME|all ...] [--sales N] [--dir DIR] [--checkouts N] [--carts N] [--regenerate]
//
// Runs the benchmarks of DESIGN.md "Budgets" and prints one line per budget: measured figure,
// floor, ratio, budget, met/MISSED. A missed budget is reported, never an exit status: the
// exit status is 0 unless a benchmark could not run (1) or the command line is wrong (2).
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "bench.hpp"
#include "budget_line.hpp"

namespace hn::bench {

const std::vector<Benchmark>& benchmarks() {
  // Add a benchmark here: one function, one name.
  static const std::vector<Benchmark> all = {
      {"checkout", "checkout commit: median Terminal::checkout vs a bare one-row commit (<= 2x; <= 0.4 ms CPU)",
       bench_checkout},
      {"policy", "policy check: p99 Terminal::preview of a 3-item cart on a 1M-sale store (<= 1 ms)",
       bench_policy},
      {"report", "daily report: p99 Terminal::daily_report of a day on a 1M-sale store (<= 100 ms)",
       bench_report},
  };
  return all;
}

}  // namespace hn::bench

namespace {

void usage(std::FILE* out) {
  std::fprintf(out,
               "usage: huinong_bench [NAME|all ...] [--sales N] [--dir DIR] [--checkouts N] "
               "[--carts N] [--regenerate]\n"
               "  NAME          one of the benchmarks below (default: all)\n"
               "  --sales N     sales in the generated store (default 1000000)\n"
               "  --dir DIR     temp files and the cached generated store (default /tmp/huinong-bench)\n"
               "  --checkouts N measured checkouts (default 300)\n"
               "  --carts N     measured policy checks (default 10000)\n"
               "  --regenerate  rebuild the cached generated store\n"
               "benchmarks:\n");
  for (const auto& b : hn::bench::benchmarks()) std::fprintf(out, "  %-12s %s\n", b.name, b.what);
}

bool parse_count(const char* text, long long min, long long& out) {
  char* end = nullptr;
  const long long v = std::strtoll(text, &end, 10);
  if (!end || *end || v < min) return false;
  out = v;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace hn::bench;
  Options options;
  std::vector<const Benchmark*> selected;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    long long n = 0;
    if (arg == "-h" || arg == "--help") {
      usage(stdout);
      return 0;
    } else if (arg == "--sales" && has_value && parse_count(argv[i + 1], 1000, n)) {
      options.sales = n;
      ++i;
    } else if (arg == "--checkouts" && has_value && parse_count(argv[i + 1], 10, n) && n <= 1'000'000) {
      options.checkouts = static_cast<int>(n);
      ++i;
    } else if (arg == "--carts" && has_value && parse_count(argv[i + 1], 10, n) && n <= 100'000'000) {
      options.carts = static_cast<int>(n);
      ++i;
    } else if (arg == "--dir" && has_value && *argv[i + 1]) {
      options.dir = argv[++i];
    } else if (arg == "--regenerate") {
      options.regenerate = true;
    } else if (arg == "all") {
      for (const auto& b : benchmarks()) selected.push_back(&b);
    } else {
      const Benchmark* found = nullptr;
      for (const auto& b : benchmarks())
        if (arg == b.name) found = &b;
      if (!found) {
        std::fprintf(stderr, "huinong_bench: unknown or incomplete argument '%s'\n", arg.c_str());
        usage(stderr);
        return 2;
      }
      selected.push_back(found);
    }
  }
  if (selected.empty())
    for (const auto& b : benchmarks()) selected.push_back(&b);

  Report report;
  int rc = 0;
  for (const Benchmark* b : selected) {
    try {
      b->run(options, report);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "huinong_bench: %s could not run: %s\n", b->name, e.what());
      rc = 1;
    }
    std::fflush(stdout);
  }
  report.print();
  // The store generator runs in a child process: its memory is reported where it runs.
  std::printf("peak RSS of huinong_bench (getrusage ru_maxrss): %.1f MiB\n", peak_rss_mib());
  std::string names;
  for (const Benchmark* b : selected) names += (names.empty() ? "" : " ") + std::string(b->name);
  print_rss_line("huinong_bench " + names, peak_rss_mib());
  return rc;
}
