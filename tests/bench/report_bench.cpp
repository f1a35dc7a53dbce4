// Budget: the daily report on a store of 1M sales: <= 100 ms (DESIGN.md "Budgets").
//
// `Terminal::daily_report(date)` is what the report screen and `huinong report daily` call: the
// day's sales by category, returns, what is not yet uploaded, the central/provincial split of
// the subsidy. Measured on the generated store (store_generator.cpp: 1M sales over 560 days,
// ~1,800 a day; 2,000 sales pending upload) for random days of the sale period, warm page
// cache; the verdict is on the p99. The floor, for reference: the day's per-category
// aggregation alone, with a statement prepared once on the same connection.
#include <cstdio>
#include <random>
#include <stdexcept>

#include "bench.hpp"
#include "app/store_access.hpp"
#include "fixtures.hpp"
#include "store_generator.hpp"

namespace hn::bench {

namespace {
constexpr int kWarmup = 20;
constexpr int kReports = 300;
constexpr int kSaleDays = 560;  // the generator's sale period, ending the day before "today"
}  // namespace

void bench_report(const Options& options, Report& report) {
  std::printf("\n== report: Terminal::daily_report on a store of %lld sales ==\n",
              static_cast<long long>(options.sales));
  const GeneratedStore g = ensure_generated_store(options);
  std::printf("store %s: %.0f MiB on %s\n", g.db_path.c_str(), file_mib(g.db_path),
              filesystem_type(options.dir).c_str());
  const app::FixedClock clock(unix_at(kGeneratedStoreToday, 20 * 3600));
  auto terminal = app::Terminal::open(g.db_path, clock);

  platform::Statement floor(hn::app::store_of(*terminal).db().handle(),
                         "SELECT i.category, COUNT(*), SUM(i.price), SUM(i.subsidy) FROM sale_items i "
                         "JOIN sales s ON s.id = i.sale_id WHERE s.sale_date = ? GROUP BY i.category");
  std::mt19937_64 rng(42);
  std::printf("machine: %s\n", machine_note().c_str());
  Samples report_ns, floor_ns, report_cpu;
  long long sales_seen = 0, floor_rows = 0;
  long long pending = -1;
  double first_ms = 0;
  long preempted = 0;
  for (int i = 0; i < kWarmup + kReports; ++i) {
    const Date day = kGeneratedStoreToday.plus_days(-1 - static_cast<std::int64_t>(rng() % kSaleDays));
    if (i == kWarmup) preempted = involuntary_context_switches();
    const std::int64_t cpu = thread_cpu_ns();
    const Stopwatch sw;
    const DailyReport r = terminal->daily_report(day);
    const std::int64_t t = sw.ns();
    const std::int64_t cpu_t = thread_cpu_ns() - cpu;
    const Stopwatch fsw;
    floor.reset();
    floor.bind(1, day.iso());
    long long rows = 0;
    while (floor.step()) rows += floor.integer(1);
    const std::int64_t ft = fsw.ns();
    floor_rows += rows;
    if (i == 0) first_ms = static_cast<double>(t) / 1e6;
    if (i < kWarmup) continue;
    report_ns.add(t);
    report_cpu.add(cpu_t);
    floor_ns.add(ft);
    sales_seen += r.figures.sales_count;
    pending = r.figures.pending_upload;
  }
  if (sales_seen == 0) throw std::runtime_error("no sales on the measured days: is the store generated?");
  std::printf("first report %.3f ms; %d warm-up reports; %d measured over random days, %.0f sales a day on "
              "average, %lld pending upload\n",
              first_ms, kWarmup, kReports, static_cast<double>(sales_seen) / kReports, pending);
  std::printf("daily report (Terminal::daily_report)  %s\n", describe(report_ns).c_str());
  std::printf("floor (the day's aggregation alone)    %s\n", describe(floor_ns).c_str());
  std::printf("CPU time of the report (thread)        %s\n", describe(report_cpu).c_str());
  std::printf("preempted %ld times while measuring (items counted by the floor: %lld)\n",
              involuntary_context_switches() - preempted, floor_rows);
  const std::string size = options.sales % 1'000'000 == 0 ? std::to_string(options.sales / 1'000'000) + "M"
                                                          : std::to_string(options.sales / 1000) + "k";
  report.add({"daily report p99 (" + size + " sales)", report_ns.percentile_ms(99), floor_ns.percentile_ms(99),
              "<= 100.000 ms", report_ns.percentile_ms(99) <= 100.0, 100.0});
}

}  // namespace hn::bench
