// Budgets: checkout commit (sale + items + journal + outbox, FULL sync): median <= 2x a bare
// one-row commit on the same file, and <= 0.4 ms of CPU per sale (DESIGN.md "Budgets", issue 17).
//
// A fresh outlet in a temp dir (the store's own pragmas: WAL, synchronous=FULL), the demo
// catalog and a goods receipt imported through the use cases; then `Terminal::checkout` of a
// one-item sale, each to a different household, interleaved with the floor: BEGIN IMMEDIATE;
// INSERT one row; COMMIT on a table of the same file through the same connection. Interleaving
// gives both the same disk, page cache and WAL state; the WAL checkpoints land where they
// land (mostly in the checkouts, which write more pages): that is part of a checkout's cost.
//
// A third commit takes turns with them: one row as big as a checkout's pages, the checkout's
// I/O floor (as many WAL pages and one fsync, none of the work). After the budgets, where the
// time goes, all of it from the real Terminal::checkout: the statements one checkout runs
// (traced) and which were prepared afresh, the pages its commit writes by table and index
// (read back from the WAL), and its steps timed as checkout itself marks them.
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/paths.hpp"
#include "app/store_access.hpp"
#include "bench.hpp"
#include "core/id_number.hpp"
#include "fixtures.hpp"
#include "sqlite_probe.hpp"

namespace hn::bench {

namespace {
constexpr int kWarmup = 20;
constexpr int kBreakdownSales = 100;
// Households of this benchmark: far from the generated store's, one per sale.
constexpr std::int64_t kFirstHousehold = 700'000'000;

struct StockItem {
  std::string card_no;
  Fen price = 0;
};

// A goods receipt of `count` cards over the demo catalog's models that can be sold today,
// priced at the lower of the model's bid price and the category cap.
std::vector<StockItem> receive_stock(BenchOutlet& o, int count) {
  app::Terminal& t = *o.terminal;
  const std::string catalog_path = app::assets_dir() + "/demo/catalog.csv";
  const auto catalog_text = app::read_input_file(catalog_path, files::Kind::CatalogCsv);
  if (!catalog_text) throw std::runtime_error("cannot read " + catalog_path);
  const std::string& catalog_csv = catalog_text.value();
  auto imported = t.import_catalog(o.manager, catalog_csv, catalog_path);
  expect(imported, "catalog import");

  const PolicyPhase phase = t.policy();
  const Date today = t.now().date;
  std::vector<std::pair<const CatalogModel*, Fen>> sellable;
  const Catalog catalog = hn::app::store_of(t).catalog().load();
  for (const auto& [code, m] : catalog.models()) {
    const CategoryPolicy* cp = phase.active_category(m.category);
    if (cp && m.valid_on(today)) sellable.emplace_back(&m, std::min(m.max_price, cp->cap));
  }
  if (sellable.empty()) throw std::runtime_error("the demo catalog has no sellable model");

  std::string csv = "card_no,serial_no,model_code\n";
  std::vector<StockItem> stock;
  for (int i = 0; i < count; ++i) {
    const auto& [model, price] = sellable[static_cast<std::size_t>(i) % sellable.size()];
    char card[32], serial[48];
    std::snprintf(card, sizeof card, "34112290%012d", i + 1);
    std::snprintf(serial, sizeof serial, "BENCH-%08d", i + 1);
    csv += std::string(card) + "," + serial + "," + model->model_code + "\n";
    stock.push_back({card, price});
  }
  auto received = t.receive_cards(o.manager, csv, "bench goods receipt");
  expect(received, "cards receive");
  return stock;
}

Cart one_item_cart(std::int64_t household, const StockItem& item) {
  Cart cart;
  cart.buyer.name = buyer_name(household, 0);
  // The outlet's own county, so no COUNTY_MISMATCH warning: the plain path.
  char first17[24];
  std::snprintf(first17, sizeof first17, "%s19650415%03d", kOutletCounty,
                static_cast<int>(household % 1000));
  cart.buyer.id_text = std::string(first17) + id_check_character(first17);
  cart.buyer.household = std::string(kOutletCounty) + std::to_string(household);
  cart.buyer.hukou = Hukou::Agricultural;
  cart.items.push_back({item.card_no, "", item.price});
  return cart;
}

// The bare commit the budget is a ratio of.
class FloorCommit {
 public:
  explicit FloorCommit(platform::Database& db) : db_(db) {
    db_.exec("CREATE TABLE IF NOT EXISTS bench_floor(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, "
             "note TEXT NOT NULL)");
    insert_.emplace(db_.handle(), "INSERT INTO bench_floor(at, note) VALUES(?, ?)");
  }
  std::int64_t run(std::int64_t n) {
    const Stopwatch sw;
    platform::Transaction tx(db_);
    insert_->reset();
    insert_->bind(1, n).bind(2, "floor").run();
    tx.commit();
    return sw.ns();
  }

 private:
  platform::Database& db_;
  std::optional<platform::Statement> insert_;
};

// A bare commit that writes as many pages as a checkout: one row whose blob spills over that
// many overflow pages, statement prepared once. Says how much of a checkout's commit is the
// bytes it writes rather than the work before it.
class PageFloor {
 public:
  explicit PageFloor(platform::Database& db) : db_(db) {
    db_.exec("CREATE TABLE IF NOT EXISTS bench_floor_pages(id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
    insert_.emplace(db_.handle(), "INSERT INTO bench_floor_pages(data) VALUES(?)");
  }
  void set_pages(int pages) {
    // An overflow page carries 4092 bytes of a 4096-byte page; the row's own leaf is one more.
    blob_.assign(static_cast<std::size_t>(std::max(0, pages - 1)) * 4000, 0x5A);
  }
  std::int64_t run() {
    const Stopwatch sw;
    platform::Transaction tx(db_);
    insert_->reset();
    insert_->bind_blob(1, blob_).run();
    tx.commit();
    return sw.ns();
  }

 private:
  platform::Database& db_;
  std::optional<platform::Statement> insert_;
  std::vector<unsigned char> blob_;
};

int median(std::vector<int> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

// A checkout's steps, as the real Terminal::checkout marks them (Terminal::set_step_listener):
// wall and CPU time of this thread from the previous mark, in the order they come.
class StepTimes {
 public:
  void start() {
    last_wall_ = start_wall_ = clock_.ns();
    last_cpu_ = start_cpu_ = thread_cpu_ns();
  }
  // After the last mark: the whole call, beside the sum of its steps' medians.
  void finish() {
    whole_wall_.add(clock_.ns() - start_wall_);
    whole_cpu_.add(thread_cpu_ns() - start_cpu_);
  }
  void mark(const char* step) {
    const std::int64_t wall = clock_.ns(), cpu = thread_cpu_ns();
    auto it = std::find_if(steps_.begin(), steps_.end(), [&](const Step& s) { return s.name == step; });
    if (it == steps_.end()) it = steps_.insert(steps_.end(), Step{step, {}, {}});
    it->wall.add(wall - last_wall_);
    it->cpu.add(cpu - last_cpu_);
    // The listener's own time goes into no step.
    last_wall_ = clock_.ns();
    last_cpu_ = thread_cpu_ns();
  }
  void print() const {
    double wall = 0, cpu = 0;
    for (const auto& s : steps_) {
      wall += s.wall.median_ms();
      cpu += s.cpu.median_ms();
    }
    std::printf("    %-56s %10s %10s %6s\n", "step (Terminal::checkout's own marks)", "wall", "CPU", "");
    for (const auto& s : steps_)
      std::printf("    %-56s %7.3f ms %7.3f ms %5.0f%%\n", s.name.c_str(), s.wall.median_ms(), s.cpu.median_ms(),
                  wall > 0 ? 100.0 * s.wall.median_ms() / wall : 0);
    std::printf("    %-56s %7.3f ms %7.3f ms  (sums of the medians)\n", "checkout", wall, cpu);
    std::printf("    %-56s %7.3f ms %7.3f ms  (medians of the whole call)\n", "checkout", whole_wall_.median_ms(),
                whole_cpu_.median_ms());
  }

 private:
  struct Step {
    std::string name;
    Samples wall, cpu;
  };
  Stopwatch clock_;
  std::int64_t last_wall_ = 0, last_cpu_ = 0, start_wall_ = 0, start_cpu_ = 0;
  Samples whole_wall_, whole_cpu_;
  std::vector<Step> steps_;
};
}  // namespace

void bench_checkout(const Options& options, Report& report) {
  std::printf("\n== checkout: Terminal::checkout of a 1-item sale vs a bare one-row commit ==\n");
  const TempDir dir(options.dir, "checkout");
  const std::string db_path = dir.path() + "/terminal.db";
  std::printf("database %s on %s (WAL, synchronous=FULL as the store opens it)\n", db_path.c_str(),
              filesystem_type(dir.path()).c_str());
  const app::FixedClock clock(unix_at(Date{2009, 6, 15}, 10 * 3600));
  BenchOutlet o = create_outlet(db_path, clock);
  const int measured = options.checkouts;
  const std::vector<StockItem> stock = receive_stock(o, kWarmup + measured + 2 + kBreakdownSales);
  std::printf("outlet created with Terminal::init; demo catalog imported; %zu label cards received\n",
              stock.size());

  app::Terminal& t = *o.terminal;
  FloorCommit floor(hn::app::store_of(t).db());
  std::printf("machine: %s\n", machine_note().c_str());
  PageFloor page_floor(hn::app::store_of(t).db());
  sqlite3* handle = hn::app::store_of(t).db().handle();
  Samples checkout_ns, floor_ns, page_floor_ns, checkout_cpu, floor_cpu, page_floor_cpu;
  std::vector<int> checkout_pages, page_floor_pages;
  checkout_ns.reserve(static_cast<std::size_t>(measured));
  floor_ns.reserve(static_cast<std::size_t>(measured));
  std::map<std::string, int> warnings;
  std::size_t next = 0;
  long preempted = 0;
  for (int i = 0; i < kWarmup + measured; ++i, ++next) {
    const Cart cart = one_item_cart(kFirstHousehold + static_cast<std::int64_t>(next), stock[next]);
    if (i == kWarmup) preempted = involuntary_context_switches();
    // The three commits take turns at going first, so none always follows another's
    // checkpoint.
    std::int64_t floor_time = 0, floor_cpu_time = 0, checkout_time = 0, checkout_cpu_time = 0,
                 page_floor_time = 0, page_floor_cpu_time = 0;
    int pages = 0, floor_pages_now = 0;
    std::optional<app::Result<app::CheckoutResult>> result;
    const auto run_floor = [&] {
      const std::int64_t cpu = thread_cpu_ns();
      floor_time = floor.run(i);
      floor_cpu_time = thread_cpu_ns() - cpu;
    };
    const auto run_checkout = [&] {
      const int before = pages_written(handle);
      const std::int64_t cpu = thread_cpu_ns();
      const Stopwatch sw;
      result.emplace(t.checkout(o.clerk, cart));
      checkout_time = sw.ns();
      checkout_cpu_time = thread_cpu_ns() - cpu;
      pages = pages_written(handle) - before;
    };
    const auto run_page_floor = [&] {
      const int before = pages_written(handle);
      const std::int64_t cpu = thread_cpu_ns();
      page_floor_time = page_floor.run();
      page_floor_cpu_time = thread_cpu_ns() - cpu;
      floor_pages_now = pages_written(handle) - before;
    };
    if (i == 0) {  // learn how many pages a checkout writes
      run_checkout();
      page_floor.set_pages(pages);
      run_floor();
      run_page_floor();
    } else if (i % 3 == 0) {
      run_floor();
      run_checkout();
      run_page_floor();
    } else if (i % 3 == 1) {
      run_checkout();
      run_page_floor();
      run_floor();
    } else {
      run_page_floor();
      run_floor();
      run_checkout();
    }
    if (!*result || !(*result)->sale)
      throw std::runtime_error("checkout " + std::to_string(i) + " was not accepted" +
                               (*result ? " (policy refused it)" : ": " + result->problem().text()));
    for (const auto& f : (*result)->check.findings) ++warnings[std::string(finding_code_name(f.code))];
    if (i < kWarmup) continue;
    checkout_ns.add(checkout_time);
    floor_ns.add(floor_time);
    page_floor_ns.add(page_floor_time);
    checkout_cpu.add(checkout_cpu_time);
    floor_cpu.add(floor_cpu_time);
    page_floor_cpu.add(page_floor_cpu_time);
    checkout_pages.push_back(pages);
    page_floor_pages.push_back(floor_pages_now);
  }
  preempted = involuntary_context_switches() - preempted;
  std::printf("checkout (1 item, real sale)  %s\n", describe(checkout_ns).c_str());
  std::printf("floor (bare 1-row commit)     %s\n", describe(floor_ns).c_str());
  std::printf("bare commit of a %2d-page row  %s\n", median(page_floor_pages),
              describe(page_floor_ns).c_str());
  std::printf("  (pages written to the WAL per commit, medians: checkout %d, bare row 1, big row %d;\n"
              "   the big row is the I/O floor of a checkout: as many pages, none of the work)\n",
              median(checkout_pages), median(page_floor_pages));
  std::printf("WAL pages per sale: %d (median; a bare one-row commit writes 1)\n", median(checkout_pages));
  // Not a budget: how far the checkout is from what its pages alone cost, and how much of the
  // budget's 2x those pages leave to the work of a sale.
  std::printf("checkout vs the bare commit of as many pages (its I/O floor): %.2fx; that floor is %.2fx the\n"
              "  one-row commit, leaving %.3f ms of the budget's %.3f for everything a sale does besides\n",
              checkout_ns.median_ms() / page_floor_ns.median_ms(), page_floor_ns.median_ms() / floor_ns.median_ms(),
              2.0 * floor_ns.median_ms() - page_floor_ns.median_ms(), 2.0 * floor_ns.median_ms());
  std::printf("CPU time of this thread per sale (CLOCK_THREAD_CPUTIME_ID: getrusage's user + system at ns\n"
              "  resolution): checkout median %.3f ms (mean %.3f), floor median %.3f ms, big row median %.3f ms\n"
              "  (the CPU the kernel spends writing and syncing that many pages); the rest of the wall time\n"
              "  is waiting, for the disk or for a CPU another process holds\n",
              checkout_cpu.median_ms(), checkout_cpu.mean_ms(), floor_cpu.median_ms(), page_floor_cpu.median_ms());
  std::printf("preempted %ld times while measuring\n", preempted);
  for (const auto& [code, n] : warnings) std::printf("  findings seen: %s x%d\n", code.c_str(), n);

  const double ratio = checkout_ns.median_ms() / floor_ns.median_ms();
  report.add({"checkout commit (median)", checkout_ns.median_ms(), floor_ns.median_ms(),
              "<= 2x floor", ratio <= 2.0, 2.0, true});
  report.add({"checkout CPU per sale (median)", checkout_cpu.median_ms(), floor_cpu.median_ms(),
              "<= 0.400 ms", checkout_cpu.median_ms() <= 0.4, 0.4, false});
  std::printf("budget: checkout median <= 2x bare commit: %.2fx (%.3f vs %.3f ms) %s\n", ratio,
              checkout_ns.median_ms(), floor_ns.median_ms(), ratio <= 2.0 ? "met" : "MISSED");
  std::printf("budget: CPU per sale <= 0.4 ms: %.3f ms, %.2fx the budget %s\n", checkout_cpu.median_ms(),
              checkout_cpu.median_ms() / 0.4, checkout_cpu.median_ms() <= 0.4 ? "met" : "MISSED");

  // Where the time goes. The steps first: the page count below empties the WAL (TRUNCATE), and
  // the commits after that grow the file again, each then syncing its new size too.
  StepTimes steps;
  t.set_step_listener([&steps](const char* step) { steps.mark(step); });
  for (int i = 0; i < kBreakdownSales; ++i, ++next) {
    const Cart cart = one_item_cart(kFirstHousehold + static_cast<std::int64_t>(next), stock[next]);
    steps.start();
    auto result = t.checkout(o.clerk, cart);
    steps.mark("after the last mark: the result handed back");
    steps.finish();
    if (!result || !result->sale) throw std::runtime_error("checkout for the breakdown was not accepted");
  }
  t.set_step_listener(nullptr);
  // Where the time goes: what one checkout runs, and what its commit writes.
  std::map<std::string, int> statements, fresh, pages;
  {
    const Cart cart = one_item_cart(kFirstHousehold + static_cast<std::int64_t>(next), stock[next]);
    ++next;
    const StatementTrace trace(handle);
    auto result = t.checkout(o.clerk, cart);
    if (!result || !result->sale) throw std::runtime_error("traced checkout was not accepted");
    statements = trace.counts();
    fresh = trace.prepared_afresh();
  }
  {
    const Cart cart = one_item_cart(kFirstHousehold + static_cast<std::int64_t>(next), stock[next]);
    ++next;
    empty_wal(handle);
    auto result = t.checkout(o.clerk, cart);
    if (!result || !result->sale) throw std::runtime_error("checkout was not accepted");
    pages = wal_pages_by_btree(handle, db_path);
  }
  const StatementSummary summary = summarize(handle, statements);
  int fresh_runs = 0;
  for (const auto& [sql, n] : fresh) fresh_runs += n;
  std::printf("\nwhere the time goes (%d checkouts timed by the steps Terminal::checkout marks, then one\n"
              "traced, then one whose pages are read from the WAL):\n", kBreakdownSales);
  std::printf("  statements run by one checkout: %d (%zu distinct), %d of them reads of one settings row;\n"
              "    %d prepared afresh (not from the connection's statement cache); preparing all of them\n"
              "    would cost %.3f ms\n",
              summary.run, statements.size(), summary.settings_reads, fresh_runs, summary.prepare_ms);
  print_statements(statements);
  if (!fresh.empty()) {
    std::printf("  prepared afresh:\n");
    print_statements(fresh);
  }
  int page_total = 0;
  for (const auto& [name, n] : pages) page_total += n;
  std::printf("  pages one checkout's commit writes to the WAL: %d, by B-tree (dbstat):\n", page_total);
  print_pages(pages);
  std::printf("  the real checkout's steps, medians of %d sales (not the budget's figure):\n", kBreakdownSales);
  steps.print();
}

}  // namespace hn::bench
