// Budget: daily report on 1M sales <= 100 ms (DESIGN.md "Budgets").
//
// `Terminal::daily_report` of the last generated day, as the manager's screen and
// `huinong report daily` ask for it: the day per category and per clerk, returns,
// pre-returns, refused attempts (journal), pending uploads with their deadlines, and the
// 30-day line. The store is the generated one of the policy benchmark (1M sales over 560 days,
// ~1,800 a day, the last ~2,000 not yet uploaded).
//
// The floor, for reference (the budget itself is absolute): the day's sales summed from the
// sales table alone, the least a daily figure can cost.
#include <cstdio>
#include <stdexcept>

#include "bench.hpp"
#include "fixtures.hpp"
#include "store_generator.hpp"

namespace hn::bench {

void bench_report(const Options& options, Report& report) {
  std::printf("\n== report: Terminal::daily_report on a store of %lld sales ==\n",
              static_cast<long long>(options.sales));
  const GeneratedStore g = ensure_generated_store(options);
  const app::FixedClock clock(unix_at(kGeneratedStoreToday, 19 * 3600));
  auto terminal = app::Terminal::open(g.db_path, clock);
  const Date day = kGeneratedStoreToday.plus_days(-2);  // the last full day of sales
  std::printf("machine: %s\n", machine_note().c_str());

  const Stopwatch first_sw;
  const DailyReport first = terminal->daily_report(day);
  const double first_ms = static_cast<double>(first_sw.ns()) / 1e6;
  if (first.figures.sales_count == 0 || first.figures.series.size() != 30)
    throw std::runtime_error("the generated store has no sales on " + day.iso());

  store::Statement floor_st(terminal->store().db().handle(),
                            "SELECT COUNT(*), SUM(total), SUM(subsidy) FROM sales WHERE sale_date = ?");
  constexpr int kWarmup = 3, kRuns = 30;
  Samples report_ns, floor_ns, report_cpu;
  long long seen = 0;
  long preempted = 0;
  for (int i = 0; i < kWarmup + kRuns; ++i) {
    if (i == kWarmup) preempted = involuntary_context_switches();
    const std::int64_t cpu = thread_cpu_ns();
    const Stopwatch sw;
    const DailyReport r = terminal->daily_report(day);
    const std::int64_t t = sw.ns(), c = thread_cpu_ns() - cpu;
    const Stopwatch fsw;
    floor_st.reset();
    floor_st.bind(1, day.iso());
    floor_st.step();
    seen += floor_st.integer(0) + r.items_count;
    const std::int64_t f = fsw.ns();
    if (i < kWarmup) continue;
    report_ns.add(t);
    report_cpu.add(c);
    floor_ns.add(f);
  }
  std::printf("day %s: %d sales, %d items, %s yuan; %zu clerks; %d pending uploads in %zu sale days\n",
              day.iso().c_str(), first.figures.sales_count, first.items_count, format_yuan(first.total).c_str(),
              first.figures.by_clerk.size(), first.figures.pending_upload, first.figures.pending.size());
  std::printf("first report after open          %.3f ms\n", first_ms);
  std::printf("daily report                     %s\n", describe(report_ns).c_str());
  std::printf("floor (one day summed, sales)    %s\n", describe(floor_ns).c_str());
  std::printf("CPU time of the report (thread)  %s\n", describe(report_cpu).c_str());
  std::printf("preempted %ld times while measuring\n(rows seen: %lld)\n", involuntary_context_switches() - preempted,
              seen);
  const double p99 = report_ns.percentile_ms(99);
  std::printf("figure p99 %.3f ms / budget 100 ms = %.2f of the budget\n", p99, p99 / 100.0);
  const std::string size = options.sales % 1'000'000 == 0 ? std::to_string(options.sales / 1'000'000) + "M"
                                                          : std::to_string(options.sales / 1000) + "k";
  report.add({"daily report p99 (" + size + " sales)", p99, floor_ns.percentile_ms(99), "<= 100.000 ms", p99 <= 100.0});
}

}  // namespace hn::bench
