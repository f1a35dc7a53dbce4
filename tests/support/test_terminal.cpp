#include "test_terminal.hpp"

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "app/paths.hpp"

namespace hn::test {

TestTerminal::TestTerminal(const std::string& db, const std::string& outlet_code, const std::string& cards_csv)
    : TestTerminal(db, outlet_code, cards_csv, system_clock_) {}

TestTerminal::TestTerminal(const std::string& db, const std::string& outlet_code, const std::string& cards_csv,
                           const app::Clock& clock) {
  app::InitOptions o;
  o.outlet_code = outlet_code;
  o.outlet_name = "网点 " + outlet_code;
  o.county = "341322";
  o.manager_login = "wang";
  o.manager_name = "王店长";
  o.manager_pin = "1234";
  o.assets_dir = HUINONG_TEST_ASSETS_DIR;
  const auto made = app::Terminal::init(db, o, clock);
  if (!made) throw std::runtime_error("init failed");
  recovery_code = made->recovery_code;
  t = app::Terminal::open(db, clock);
  manager = t->authenticate("wang", "1234").value();
  if (!t->add_user(manager, "li", "李", store::Role::Clerk, "5678")) throw std::runtime_error("add_user failed");
  clerk = t->authenticate("li", "5678").value();
  const auto catalog = app::read_input_file(demo_asset("catalog.csv"), files::Kind::CatalogCsv);
  if (!catalog || !t->import_catalog(manager, catalog.value(), "catalog.csv")) throw std::runtime_error("catalog failed");
  const auto cards = app::read_input_file(cards_csv, files::Kind::CardsCsv);
  if (!cards) throw std::runtime_error("cards failed: " + cards.problem().message_en);
  const auto r = t->receive_cards(manager, cards.value(), cards_csv);
  if (!r) throw std::runtime_error("cards failed: " + r.problem().message_en);
}

bool TestTerminal::sell_tv(const std::string& card, const std::string& household) {
  const auto r = t->checkout(clerk, tv_cart(card, household));
  return r && r->sale;
}

Cart tv_cart(const std::string& card, const std::string& household, Fen price) {
  Cart cart;
  cart.buyer = {"张三", "341322198001011239", household, Hukou::Agricultural, std::nullopt};
  cart.items.push_back({card, "", price});
  return cart;
}

std::string tv_card(int n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "7701%016d", n);
  return buf;
}

std::string tv_serial(int n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "SYNC-%07d", n);
  return buf;
}

void write_tv_cards(const std::string& csv, int first, int count) {
  std::ofstream out(csv);
  out << "card_no,serial_no,model_code\n";
  for (int i = first; i < first + count; ++i) out << tv_card(i) << "," << tv_serial(i) << ",HISENSE-TLM26V68\n";
}

int run_cli_json(const std::string& db, const std::vector<std::string>& args, const Env& env, std::string& out) {
  std::vector<std::string> argv = {HUINONG_BIN, "--db", db, "--json"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, env, &out);
}

std::string demo_asset(const std::string& name) { return std::string(HUINONG_TEST_ASSETS_DIR) + "/demo/" + name; }

}  // namespace hn::test
