#pragma once
// A terminal of one outlet on its own SQLite file, set up through the use cases of pos/app as a
// shop is: init (county 341322, manager wang with PIN 1234), clerk li (PIN 5678) added, the demo
// catalog imported and a cards file received. Sample carts and cards for it.
#include <memory>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "app/terminal.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace hn::test {

// The shipped demo data: assets/demo/NAME.
std::string demo_asset(const std::string& name);

// `huinong --db DB --json ARGS...` with exactly `env` (process.hpp: plus PATH, HOME and LANG):
// its exit status, its output in `out`.
int run_cli_json(const std::string& db, const std::vector<std::string>& args, const Env& env, std::string& out);

class TestTerminal {
 public:
  // On the system clock.
  TestTerminal(const std::string& db, const std::string& outlet_code, const std::string& cards_csv);
  // On `clock`, which must outlive the terminal (a FixedClock the test moves on).
  TestTerminal(const std::string& db, const std::string& outlet_code, const std::string& cards_csv,
               const app::Clock& clock);

  std::unique_ptr<app::Terminal> t;
  app::UserRecord manager, clerk;
  std::string recovery_code;  // what init printed for the manager to keep

  // A TV sale (tv_cart) to `household` by the clerk; returns whether it was accepted.
  bool sell_tv(const std::string& card, const std::string& household);

 private:
  app::SystemClock system_clock_;
};

// A temp directory and a clock held still at 10:00 on 2026-11-27, the outlet's time (UTC+8).
struct Moment {
  TempDir dir;
  app::FixedClock clock{local_seconds(Date{2026, 11, 27}, 10)};
  static std::int64_t local_seconds(Date date, int hour) { return date.serial() * 86400 + (hour - 8) * 3600; }
};

// The demo outlet (AH-XX-0001) at that moment on DIR/pos.db: the demo cards received.
struct DemoTerminal : Moment, TestTerminal {
  DemoTerminal() : TestTerminal(dir.file("pos.db"), "AH-XX-0001", demo_asset("cards.csv"), clock) {}
  std::string db() const { return dir.file("pos.db"); }
};

// 张三 (341322198001011239, agricultural hukou) of `household` buying the TV of `card` at
// `price`, the serial left to the card.
Cart tv_cart(const std::string& card, const std::string& household = "3413220012", Fen price = 199900);

// TV cards of model HISENSE-TLM26V68 numbered by n, as the province issues them in these tests.
std::string tv_card(int n);
std::string tv_serial(int n);
// Writes a cards file (card_no,serial_no,model_code) of `count` TV cards numbered from `first`.
void write_tv_cards(const std::string& csv, int first, int count);

}  // namespace hn::test
