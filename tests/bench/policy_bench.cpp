// Budget: policy check of a 3-item cart on a store with 1M sales and 1M cards: p99 <= 1 ms
// (DESIGN.md "Budgets").
//
// `Terminal::preview` is the check `Terminal::checkout` runs (policy phase, outlet, household
// history, the cards, the engine) without writing. Each cart: a household that already has
// purchases and 3 random label cards in stock, priced a little under their cap; many carts
// are refused (HOUSEHOLD_LIMIT: limit 1 per category and the household already holds some),
// which is the path with the most findings and messages to build, as at a real counter.
//
// The floor, for reference (the budget itself is absolute): the lookups the check cannot do
// without, on the same connection with statements prepared once: the household's keyed hash,
// its history query and the 3 card reads.
#include <cstdio>
#include <map>
#include <random>
#include <stdexcept>

#include "bench.hpp"
#include "app/store_access.hpp"
#include "fixtures.hpp"
#include "sqlite_probe.hpp"
#include "store_generator.hpp"
#include "store/migrations.hpp"

namespace hn::bench {

namespace {
constexpr int kWarmup = 1000;

struct StockCard {
  std::string card_no;
  Fen cap = 0;
};

std::vector<StockCard> load_stock(const std::string& db_path, app::Terminal& t) {
  const PolicyPhase phase = t.policy();
  const Catalog catalog = hn::app::store_of(t).catalog().load();
  // A connection of its own, closed before measuring, so the terminal's page cache stays cold
  // for these rows.
  platform::Database db = platform::Database::open(db_path, false, hn::store::terminal_migrations());
  auto st = db.prepare("SELECT card_no, model_code FROM label_cards WHERE state = 'in_stock'");
  std::vector<StockCard> stock;
  while (st.step()) {
    const CatalogModel* m = catalog.find(st.text(1));
    const CategoryPolicy* cp = m ? phase.active_category(m->category) : nullptr;
    if (!cp) throw std::runtime_error("stock card of an unknown model: " + st.text(0));
    stock.push_back({st.text(0), std::min(m->max_price, cp->cap)});
  }
  if (stock.size() < 3) throw std::runtime_error("the generated store has fewer than 3 cards in stock");
  return stock;
}

Cart random_cart(std::mt19937_64& rng, const GeneratedStore& g, const std::vector<StockCard>& stock) {
  const auto h = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(g.households));
  Cart cart;
  cart.buyer.name = buyer_name(h, 0);
  cart.buyer.id_text = buyer_id(h, 0);
  cart.buyer.household = household_no(h);
  cart.buyer.hukou = Hukou::Agricultural;
  std::size_t picked[3];
  for (std::size_t k = 0; k < 3; ++k) {
    bool again;
    do {
      picked[k] = static_cast<std::size_t>(rng() % stock.size());
      again = false;
      for (std::size_t m = 0; m < k; ++m) again = again || picked[m] == picked[k];
    } while (again);
    const StockCard& c = stock[picked[k]];
    cart.items.push_back({c.card_no, "", std::max<Fen>(100, c.cap - static_cast<Fen>(rng() % 10) * 1000)});
  }
  return cart;
}

// The statements are the bench's own (prepared on the connection's handle, not through
// Database::prepare), so they never share a statement with the store's calls.
class FloorLookups {
 public:
  explicit FloorLookups(store::Store& s)
      : store_(s),
        history_(s.db().handle(),
                 "SELECT i.category, COUNT(*) FROM sale_items i JOIN sales s ON s.id = i.sale_id "
                 "WHERE s.household_hash = ? AND i.state = 'sold' GROUP BY i.category"),
        card_(s.db().handle(), "SELECT card_no, serial_no, model_code, outlet_code, state FROM "
                               "label_cards WHERE card_no = ?") {}

  // Returns the rows seen, so the work cannot be optimised away.
  int run(const Cart& cart) {
    int rows = 0;
    history_.reset();
    history_.bind(1, store_.households().hash(cart.buyer.household));
    while (history_.step()) rows += history_.integer(1);
    for (const auto& item : cart.items) {
      card_.reset();
      card_.bind(1, item.card_no);
      while (card_.step()) ++rows;
    }
    return rows;
  }

 private:
  store::Store& store_;
  platform::Statement history_;
  platform::Statement card_;
};
}  // namespace

void bench_policy(const Options& options, Report& report) {
  std::printf("\n== policy: Terminal::preview of a 3-item cart on a store of %lld sales ==\n",
              static_cast<long long>(options.sales));
  const GeneratedStore g = ensure_generated_store(options);
  std::printf("store %s: %.0f MiB on %s; %lld households with purchases, %lld cards in stock\n",
              g.db_path.c_str(), file_mib(g.db_path), filesystem_type(options.dir).c_str(),
              static_cast<long long>(g.households), static_cast<long long>(g.stock));

  const app::FixedClock clock(unix_at(kGeneratedStoreToday, 10 * 3600));
  const Stopwatch open_sw;
  auto terminal = app::Terminal::open(g.db_path, clock);
  const double open_ms = static_cast<double>(open_sw.ns()) / 1e6;
  const std::vector<StockCard> stock = load_stock(g.db_path, *terminal);
  // The generated rows carry the store's own keyed hashes: the terminal finds the history.
  for (std::int64_t h : {std::int64_t{0}, g.households - 1})
    if (hn::app::store_of(*terminal).households().history(household_no(h)).held.empty())
      throw std::runtime_error("household " + household_no(h) + " has no history in the generated store");

  std::mt19937_64 rng(1234);
  FloorLookups floor(hn::app::store_of(*terminal));
  std::printf("machine: %s\n", machine_note().c_str());
  Samples check_ns, floor_ns, check_cpu;
  check_ns.reserve(static_cast<std::size_t>(options.carts));
  floor_ns.reserve(static_cast<std::size_t>(options.carts));
  std::map<std::string, int> findings;
  int refused = 0;
  long long rows = 0;
  double first_ms = 0;
  long preempted = 0;
  for (int i = 0; i < kWarmup + options.carts; ++i) {
    const Cart cart = random_cart(rng, g, stock);
    if (i == kWarmup) preempted = involuntary_context_switches();
    std::int64_t floor_time = 0;
    if (i % 2 == 0) {
      const Stopwatch sw;
      rows += floor.run(cart);
      floor_time = sw.ns();
    }
    const std::int64_t cpu = thread_cpu_ns();
    const Stopwatch sw;
    const SaleCheck check = terminal->preview(cart);
    const std::int64_t check_time = sw.ns();
    const std::int64_t check_cpu_time = thread_cpu_ns() - cpu;
    if (i % 2 == 1) {
      const Stopwatch fsw;
      rows += floor.run(cart);
      floor_time = fsw.ns();
    }
    if (i == 0) first_ms = static_cast<double>(check_time) / 1e6;
    if (check.lines.size() != 3) throw std::runtime_error("preview lost a line");
    if (i < kWarmup) continue;
    check_ns.add(check_time);
    check_cpu.add(check_cpu_time);
    floor_ns.add(floor_time);
    if (check.refused()) ++refused;
    for (const auto& f : check.findings) ++findings[std::string(finding_code_name(f.code))];
  }
  std::printf("Terminal::open %.1f ms; first check %.3f ms (loads the catalog); %d warm-up checks\n",
              open_ms, first_ms, kWarmup);
  std::printf("policy check (preview, 3 items)  %s\n", describe(check_ns).c_str());
  std::printf("floor (hash + 4 bare lookups)    %s\n", describe(floor_ns).c_str());
  std::printf("CPU time of the check (thread)   %s\n", describe(check_cpu).c_str());
  std::printf("preempted %ld times while measuring (each can add a scheduler slice, ~1-4 ms, to one sample)\n",
              involuntary_context_switches() - preempted);
  std::printf("carts refused: %d of %zu; findings:", refused, check_ns.size());
  for (const auto& [code, n] : findings) std::printf(" %s x%d", code.c_str(), n);
  std::printf("\n(rows read by the floor: %lld)\n", rows);

  {
    const Cart cart = random_cart(rng, g, stock);
    std::map<std::string, int> statements;
    {
      const StatementTrace trace(hn::app::store_of(*terminal).db().handle());
      terminal->preview(cart);
      statements = trace.counts();
    }
    const StatementSummary summary = summarize(hn::app::store_of(*terminal).db().handle(), statements);
    std::printf("statements run by one check: %d (%zu distinct), %d of them reads of one settings "
                "row;\n  preparing each once costs %.3f ms (paid on every check while the store prepares "
                "a statement for each use)\n",
                summary.run, statements.size(), summary.settings_reads, summary.prepare_ms);
    print_statements(statements);
  }

  const std::string size = options.sales % 1'000'000 == 0
                               ? std::to_string(options.sales / 1'000'000) + "M"
                               : std::to_string(options.sales / 1000) + "k";
  report.add({"policy check p99 (3 items, " + size + " sales)",
              check_ns.percentile_ms(99),
              floor_ns.percentile_ms(99), "<= 1.000 ms", check_ns.percentile_ms(99) <= 1.0, 1.0});
}

}  // namespace hn::bench
