#include "bench.hpp"
#include "budget_line.hpp"

#include <sys/resource.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <stdexcept>

namespace hn::bench {

namespace fs = std::filesystem;

double Samples::percentile_ms(double p) const {
  if (ns_.empty()) return 0;
  std::vector<std::int64_t> sorted = ns_;
  std::sort(sorted.begin(), sorted.end());
  // Nearest rank: the smallest value with at least p% of the samples at or below it.
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const std::size_t i = rank < 1 ? 0 : static_cast<std::size_t>(rank) - 1;
  return static_cast<double>(sorted[std::min(i, sorted.size() - 1)]) / 1e6;
}

double Samples::mean_ms() const {
  if (ns_.empty()) return 0;
  const double sum = std::accumulate(ns_.begin(), ns_.end(), 0.0,
                                     [](double a, std::int64_t b) { return a + static_cast<double>(b); });
  return sum / static_cast<double>(ns_.size()) / 1e6;
}

std::string format_ms(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f ms", ms);
  return buf;
}

std::string describe(const Samples& s) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "median %8.3f ms  p90 %8.3f ms  p99 %8.3f ms  max %8.3f ms  (n=%zu)",
                s.median_ms(), s.percentile_ms(90), s.percentile_ms(99), s.max_ms(), s.size());
  return buf;
}

void Report::print() const {
  std::printf("\n== budgets (DESIGN.md \"Budgets\") ==\n");
  std::printf("%-38s %12s %12s %9s  %-16s %s\n", "budget", "measured", "floor", "ratio", "budget",
              "verdict");
  for (const auto& l : lines_) {
    const double ratio = l.floor_ms > 0 ? l.measured_ms / l.floor_ms : 0;
    std::printf("%-38s %12s %12s %8.2fx  %-16s %s\n", l.name.c_str(), format_ms(l.measured_ms).c_str(),
                format_ms(l.floor_ms).c_str(), ratio, l.budget.c_str(), l.met ? "met" : "MISSED");
  }
  // The same lines for tests/bench/all.sh.
  for (const auto& l : lines_) {
    if (l.limit <= 0) continue;
    if (l.of_floor) {
      const double ratio = l.floor_ms > 0 ? l.measured_ms / l.floor_ms : 0;
      print_budget_line(l.name, figure("%.2fx floor", ratio) + " (" + figure("%.3f", l.measured_ms) + " vs " +
                                    format_ms(l.floor_ms) + ")",
                        l.budget, ratio / l.limit);
    } else {
      print_budget_line(l.name, format_ms(l.measured_ms), l.budget, l.measured_ms / l.limit);
    }
  }
  std::fflush(stdout);
}

std::string filesystem_type(const std::string& path) {
  struct statfs st {};
  if (::statfs(path.c_str(), &st) != 0) return "unknown";
  switch (static_cast<unsigned long>(st.f_type)) {
    case 0xEF53UL: return "ext4";
    case 0x01021994UL: return "tmpfs (fsync is free here: the commit floor means nothing)";
    case 0x58465342UL: return "xfs";
    case 0x9123683EUL: return "btrfs";
    case 0x794C7630UL: return "overlayfs";
    case 0x2FC12FC1UL: return "zfs";
    case 0x6969UL: return "nfs";
    case 0x65735546UL: return "fuse";
    default: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "fs type 0x%lx", static_cast<unsigned long>(st.f_type));
      return buf;
    }
  }
}

std::int64_t thread_cpu_ns() {
  struct timespec ts {};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

long involuntary_context_switches() {
  struct rusage ru {};
  ::getrusage(RUSAGE_SELF, &ru);
  return ru.ru_nivcsw;
}

std::string machine_note() {
  double load[3] = {0, 0, 0};
  const int n = ::getloadavg(load, 3);
  const long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  char buf[160];
  std::snprintf(buf, sizeof buf, "%ld CPUs, load average %.2f %.2f %.2f%s", cpus, load[0], load[1],
                load[2],
                n == 3 && load[0] > 0.5 * static_cast<double>(cpus)
                    ? " (other work is running: expect it in the tail figures)"
                    : "");
  return buf;
}

double peak_rss_mib() {
  struct rusage ru {};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // Linux: KiB
}

double file_mib(const std::string& path) {
  std::error_code ec;
  const auto n = fs::file_size(path, ec);
  return ec ? 0 : static_cast<double>(n) / (1024.0 * 1024.0);
}

}  // namespace hn::bench
