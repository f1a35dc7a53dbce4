// Budget: checkout commit (sale + items + journal + outbox, FULL sync): median <= 1.5x a bare
// one-row commit on the same file (DESIGN.md "Budgets").
//
// A fresh outlet in a temp dir (the store's own pragmas: WAL, synchronous=FULL), the demo
// catalog and a goods receipt imported through the use cases; then `Terminal::checkout` of a
// one-item sale, each to a different household, interleaved with the floor: BEGIN IMMEDIATE;
// INSERT one row; COMMIT on a table of the same file through the same connection. Interleaving
// gives both the same disk, page cache and WAL state; the WAL checkpoints land where they
// land (mostly in the checkouts, which write more pages): that is part of a checkout's cost.
//
// A third commit takes turns with them: one row as big as a checkout's pages, the checkout's
// I/O floor (as many WAL pages and one fsync, none of the work). After the budget, the
// statements of one checkout are traced and its parts replayed through the same public calls
// (preview = the check; invoice number, store writes with their encryption and keyed hashes,
// journal, COMMIT, invoice data) to say where the time goes.
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <stdexcept>
#include <vector>

#include "app/paths.hpp"
#include "app/store_access.hpp"
#include "bench.hpp"
#include "core/id_number.hpp"
#include "core/invoice.hpp"
#include "fixtures.hpp"
#include "sqlite_probe.hpp"
#include "platform/crypto.hpp"

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
  const Catalog catalog = hn::app::store_of(t).load_catalog();
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

struct Phases {
  Samples check, begin, invoice_no, prepare, insert_sale, journal, commit, invoice, total;
};

// One sale through the store's public calls, in the order Terminal::checkout makes them, each
// timed. Mirrors pos/app/checkout.cpp; it is a breakdown, not the budget's figure.
void replay_sale(app::Terminal& t, const store::UserRecord& clerk, const Cart& cart, Phases& ph) {
  store::Store& s = hn::app::store_of(t);
  const std::string phase_id = s.settings().get("policy.phase").value_or("");
  const Stopwatch total;
  Stopwatch sw;
  const SaleCheck check = t.preview(cart);  // policy(), outlet(), now(), history, cards, engine
  ph.check.add(sw.ns());
  if (check.refused()) {
    std::string codes;
    for (const auto& f : check.findings) codes += " " + std::string(finding_code_name(f.code)) + ": " + f.message_en;
    throw std::runtime_error("breakdown cart refused:" + codes);
  }

  sw.restart();
  platform::Transaction tx(s.db());
  ph.begin.add(sw.ns());

  sw.restart();
  store::SaleRecord sale;
  sale.invoice_no = s.sales().next_invoice_no();
  ph.invoice_no.add(sw.ns());

  sw.restart();
  const LocalTime at = t.now();
  platform::Bytes b = platform::random_bytes(16);
  sale.uuid = platform::to_hex(b);
  sale.sold_at = at.iso();
  sale.sale_date = at.date;
  sale.user_id = clerk.id;
  sale.buyer_name = cart.buyer.name;
  sale.buyer_id = check.buyer_id->digits();
  sale.household = cart.buyer.household;
  sale.hukou = cart.buyer.hukou;
  sale.buyer_county = check.buyer_id->region_code();
  sale.policy_phase = phase_id;
  sale.total = check.total;
  sale.subsidy = check.subsidy;
  nlohmann::json items = nlohmann::json::array();
  int line_no = 0;
  for (const auto& l : check.lines) {
    store::SaleItemRecord it;
    it.line_no = ++line_no;
    it.card_no = l.card_no;
    it.serial_no = l.serial_no;
    it.model_code = l.model->model_code;
    it.category = l.model->category;
    it.brand = l.model->brand;
    it.name = l.model->name;
    it.spec = l.model->spec;
    it.price = l.price;
    it.subsidy = l.subsidy;
    items.push_back({{"card", it.card_no}, {"serial", it.serial_no}, {"model", it.model_code},
                     {"category", category_code(it.category)}, {"price", it.price},
                     {"subsidy", it.subsidy}});
    sale.items.push_back(std::move(it));
  }
  ph.prepare.add(sw.ns());

  sw.restart();
  s.sales().insert(sale);  // 2 AES-GCM seals, 2 keyed hashes, 4 INSERTs, 1 UPDATE
  ph.insert_sale.add(sw.ns());

  sw.restart();
  s.journal(t.now().iso(), clerk.login, "sale",
            {{"sale_uuid", sale.uuid},
             {"invoice_no", format_invoice_no(sale.invoice_no)},
             {"buyer_id_masked", mask_id_text(sale.buyer_id)},
             {"buyer_id_hash", s.keys().lookup_hash("id", sale.buyer_id)},
             {"household_hash", s.households().hash(sale.household)},
             {"policy_phase", sale.policy_phase},
             {"total", sale.total},
             {"subsidy", sale.subsidy},
             {"items", items},
             {"warnings", nlohmann::json::array()}});
  ph.journal.add(sw.ns());

  sw.restart();
  tx.commit();
  ph.commit.add(sw.ns());

  // What make_invoice reads after COMMIT.
  sw.restart();
  const Outlet outlet = t.outlet();
  const auto terminal_id = s.settings().get("terminal.id");
  const auto user = s.users().find(sale.user_id);
  ph.invoice.add(sw.ns());
  if (outlet.code.empty() || !terminal_id || !user) throw std::runtime_error("invoice data missing");
  ph.total.add(total.ns());
}

void print_phase(const char* name, const Samples& s, double total_median) {
  std::printf("    %-52s median %8.3f ms  mean %8.3f ms  (%4.0f%% of the replay's median)\n", name,
              s.median_ms(), s.mean_ms(), total_median > 0 ? 100.0 * s.median_ms() / total_median : 0);
}
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
  const std::vector<StockItem> stock = receive_stock(o, kWarmup + measured + 1 + kBreakdownSales);
  std::printf("outlet created with Terminal::init; demo catalog imported; %zu label cards received\n",
              stock.size());

  app::Terminal& t = *o.terminal;
  FloorCommit floor(hn::app::store_of(t).db());
  std::printf("machine: %s\n", machine_note().c_str());
  PageFloor page_floor(hn::app::store_of(t).db());
  sqlite3* handle = hn::app::store_of(t).db().handle();
  Samples checkout_ns, floor_ns, page_floor_ns, checkout_cpu, floor_cpu;
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
                 page_floor_time = 0;
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
      page_floor_time = page_floor.run();
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
  std::printf("CPU time of this thread: checkout median %.3f ms, floor median %.3f ms "
              "(the rest is waiting, mostly for fsync)\n",
              checkout_cpu.median_ms(), floor_cpu.median_ms());
  std::printf("preempted %ld times while measuring\n", preempted);
  for (const auto& [code, n] : warnings) std::printf("  findings seen: %s x%d\n", code.c_str(), n);

  const double ratio = checkout_ns.median_ms() / floor_ns.median_ms();
  report.add({"checkout commit (median)", checkout_ns.median_ms(), floor_ns.median_ms(),
              "<= 1.5x floor", ratio <= 1.5, 1.5, true});

  // Where the time goes: what one checkout runs.
  std::map<std::string, int> statements;
  {
    const Cart cart = one_item_cart(kFirstHousehold + static_cast<std::int64_t>(next), stock[next]);
    ++next;
    const StatementTrace trace(handle);
    auto result = t.checkout(o.clerk, cart);
    if (!result || !result->sale) throw std::runtime_error("traced checkout was not accepted");
    statements = trace.counts();
  }
  const StatementSummary summary = summarize(handle, statements);
  std::printf("\nwhere the time goes (one traced checkout, then %d replayed sales):\n", kBreakdownSales);
  std::printf("  statements run by one checkout: %d (%zu distinct), %d of them reads of one settings row;\n"
              "    preparing each once costs %.3f ms (paid on every checkout while the store prepares\n"
              "    a statement for each use)\n",
              summary.run, statements.size(), summary.settings_reads, summary.prepare_ms);
  print_statements(statements);
  Phases ph;
  for (int i = 0; i < kBreakdownSales; ++i, ++next) {
    const Cart cart = one_item_cart(kFirstHousehold + static_cast<std::int64_t>(next), stock[next]);
    replay_sale(t, o.clerk, cart, ph);
  }
  const double total = ph.total.median_ms();
  std::printf("  the checkout's parts, replayed through the same store calls (not the budget's figure):\n");
  print_phase("check (preview: policy, outlet, history, cards)", ph.check, total);
  print_phase("BEGIN IMMEDIATE", ph.begin, total);
  print_phase("next invoice number", ph.invoice_no, total);
  print_phase("build sale record + JSON items", ph.prepare, total);
  print_phase("insert_sale (seal x2, hash x2, 4 INSERT, 1 UPDATE)", ph.insert_sale, total);
  print_phase("journal (hash x2, JSON, SHA-256, INSERT)", ph.journal, total);
  print_phase("COMMIT (WAL append + fsync)", ph.commit, total);
  print_phase("after COMMIT: invoice data (outlet, clerk)", ph.invoice, total);
  print_phase("replay total", ph.total, total);
}

}  // namespace hn::bench
