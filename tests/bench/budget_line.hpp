#pragma once
// The lines every benchmark program prints for tests/bench/all.sh, beside its own human output:
//   @budget<TAB>what<TAB>measured<TAB>budget<TAB>ratio<TAB>met|MISSED
//   @rss<TAB>process<TAB>MiB
// `ratio` is the measured figure over the budget's limit (for a budget that is a ratio of a
// floor, the measured ratio over the allowed one): 1.00 is exactly at the budget, above it
// is over. Header-only and dependency-free: sync_bench, gui_bench and decode_bench include it.
#include <cstdio>
#include <fstream>
#include <string>

#include <sys/resource.h>
#include <sys/types.h>

namespace hn::bench {

inline void print_budget_line(const std::string& what, const std::string& measured, const std::string& budget,
                              double ratio_to_budget) {
  std::printf("@budget\t%s\t%s\t%s\t%.2f\t%s\n", what.c_str(), measured.c_str(), budget.c_str(), ratio_to_budget,
              ratio_to_budget <= 1.0 ? "met" : "MISSED");
  std::fflush(stdout);
}

inline void print_rss_line(const std::string& process, double mib) {
  std::printf("@rss\t%s\t%.1f\n", process.c_str(), mib);
  std::fflush(stdout);
}

// Peak resident set (getrusage ru_maxrss) of this process, and of the largest child it has
// waited for, in MiB.
inline double self_peak_rss_mib() {
  struct rusage ru {};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}
inline double children_peak_rss_mib() {
  struct rusage ru {};
  ::getrusage(RUSAGE_CHILDREN, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}
// VmHWM of a running process (its peak resident set so far), MiB; -1 when unreadable.
inline double process_peak_rss_mib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return -1;
}

inline std::string figure(const char* format, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

}  // namespace hn::bench
