// The counter screen's budgets (DESIGN.md "Budgets"): scan to line shown <= 50 ms, start to
// ready <= 1.5 s, RSS <= 150 MB after 200 sales. Every sale goes through the payment step as the
// commonest sale does (issue 16): F10, then Enter (paid exactly in cash); the time from F10 to
// the payment step shown and from Enter to the sale committed are printed beside the budgets. Drives the real huinong-pos under Xvfb with
// xdotool at scanner speed. Prints figures; never fails on a missed budget.
//   gui_bench [--sales N] [--starts N]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "budget_line.hpp"
#include "counter_harness.hpp"

using namespace hn::test;

namespace {
double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

long status_kb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  return -1;
}

void row(const char* what, double figure, const char* unit, double budget) {
  std::printf("%-34s %10.1f %-3s  budget %8.1f %-3s  ratio %5.2f  %s\n", what, figure, unit, budget, unit,
              figure / budget, figure <= budget ? "met" : "MISSED");
}

// An outlet with enough TV cards for every sale of the run.
std::function<void(const std::string&)> bench_outlet(int cards) {
  return [cards](const std::string& db) {
    make_demo_outlet(db);
    const std::string csv = db + ".cards.csv";
    std::ofstream out(csv);
    out << "card_no,serial_no,model_code\n";
    for (int i = 0; i < cards; ++i) {
      char card[32], serial[32];
      std::snprintf(card, sizeof card, "9901%016d", i);
      std::snprintf(serial, sizeof serial, "BENCH-%06d", i);
      out << card << "," << serial << ",HISENSE-TLM26V68\n";
    }
    out.close();
    run_cli(db, {"cards", "receive", "--user", "wang", csv}, {{"HUINONG_PIN", kManagerPin}});
  };
}
}  // namespace

int main(int argc, char** argv) {
  int sales = 200, starts = 5;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--sales") sales = std::atoi(argv[++i]);
    else if (std::string(argv[i]) == "--starts") starts = std::atoi(argv[++i]);
  }
  try {
    std::vector<double> ready;
    for (int i = 0; i < starts; ++i) {
      Counter c;
      ready.push_back(c.start_to_ready_ms());
    }
    std::printf("huinong-pos counter screen, %d starts, %d sales (Xvfb, xdotool at 2 ms a key)\n", starts, sales);
    row("start to ready (median)", percentile(ready, 0.5), "ms", 1500);

    Counter c("li", {"--idle-lock", "0"}, bench_outlet(sales + 10));
    c.login(kClerkPin);
    std::vector<double> scan_ms, f10_to_payment_ms, enter_to_commit_ms;
    for (int i = 0; i < sales; ++i) {
      char card[32], serial[32], household[32];
      std::snprintf(card, sizeof card, "9901%016d", i);
      std::snprintf(serial, sizeof serial, "BENCH-%06d", i);
      std::snprintf(household, sizeof household, "BH%06d", i);
      c.type(kIdZhang, 2);
      c.key("Return");  // Enter moves on to the name
      c.wait_for("id_accepted");
      c.enter("Bench", 2);
      c.enter(household, 2);
      c.scan(card);
      scan_ms.push_back(c.wait_for("screen", [](const nlohmann::json& s) { return s.contains("scan_to_shown_ms"); })
                            ["scan_to_shown_ms"]
                                .get<double>());
      c.scan(serial);
      const auto paired = c.wait_for("screen", [](const nlohmann::json& s) { return s.contains("scan_to_shown_ms"); });
      scan_ms.push_back(paired["scan_to_shown_ms"].get<double>());
      if (paired["checkout_enabled"] != true)
        c.wait_for("screen", [](const nlohmann::json& s) { return s["checkout_enabled"] == true; });
      c.key("F10");
      const double f10_at = c.wait_for("checkout_key")["t_ms"].get<double>();
      const double shown_at = c.wait_for("payment_shown")["t_ms"].get<double>();
      c.key("Return");
      const double done_at = c.wait_for("payment_done")["t_ms"].get<double>();
      const double committed_at = c.wait_for("sale_committed")["t_ms"].get<double>();
      f10_to_payment_ms.push_back(shown_at - f10_at);
      enter_to_commit_ms.push_back(committed_at - done_at);
    }
    c.settled_screen();
    const long rss = status_kb(c.pid(), "VmRSS"), peak = status_kb(c.pid(), "VmHWM");
    row("scan to line shown p50", percentile(scan_ms, 0.5), "ms", 50);
    row("scan to line shown p99", percentile(scan_ms, 0.99), "ms", 50);
    row("scan to line shown max", percentile(scan_ms, 1.0), "ms", 50);
    // The payment step has no budget of its own in DESIGN.md; the scan's 50 ms is the yardstick.
    for (const auto& [what, v] : {std::pair<const char*, const std::vector<double>*>{"F10 to payment step shown", &f10_to_payment_ms},
                                  {"Enter to sale committed", &enter_to_commit_ms}})
      std::printf("%-34s p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms  (no budget; a scan's is 50 ms)\n", what,
                  percentile(*v, 0.5), percentile(*v, 0.99), percentile(*v, 1.0));
    row("RSS after the sales", static_cast<double>(rss) / 1024.0, "MB", 150);
    row("peak RSS (VmHWM)", static_cast<double>(peak) / 1024.0, "MB", 150);
    std::printf("sales committed: %lld\n", static_cast<long long>(c.count("SELECT COUNT(*) FROM sales")));
    using hn::bench::figure;
    const double start_ms = percentile(ready, 0.5), p99 = percentile(scan_ms, 0.99);
    const double peak_mb = static_cast<double>(peak) / 1024.0;
    hn::bench::print_budget_line("counter: start to ready (median of " + std::to_string(starts) + ")",
                                 figure("%.0f ms", start_ms), "<= 1500 ms", start_ms / 1500.0);
    hn::bench::print_budget_line("counter: scan to line shown p99", figure("%.1f ms", p99) + " (max " +
                                     figure("%.1f ms)", percentile(scan_ms, 1.0)),
                                 "<= 50 ms", p99 / 50.0);
    hn::bench::print_budget_line("counter: RSS, peak over " + std::to_string(sales) + " sales",
                                 figure("%.1f MB", peak_mb), "<= 150 MB", peak_mb / 150.0);
    hn::bench::print_rss_line("huinong-pos (VmHWM after " + std::to_string(sales) + " sales)", peak_mb);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gui_bench: %s\n", e.what());
    return 1;
  }
  hn::bench::print_rss_line("gui_bench (the driver)", hn::bench::self_peak_rss_mib());
  return 0;
}
