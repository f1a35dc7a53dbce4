#pragma once
// Drives the real huinong-pos under a private Xvfb as a clerk would: keys through xdotool (at
// scanner speed or a person's), what the screen shows read back from the application's
// --trace file, the database checked directly, screenshots taken with ImageMagick.
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "process.hpp"
#include "temp_dir.hpp"

namespace hn::test {

inline constexpr const char* kManagerPin = "1234";
inline constexpr const char* kClerkPin = "5678";
inline constexpr const char* kIdZhang = "341322198001011239";  // valid, county 341322
inline constexpr const char* kTv1 = "34080100000000010001";
inline constexpr const char* kTv1Serial = "TLM26V68-0811A00017";
inline constexpr const char* kTv2 = "34080100000000010002";
inline constexpr const char* kTv2Serial = "TLM26V68-0811A00018";

// A demo outlet made with the real `huinong` CLI: manager wang, clerk li, demo catalog and cards.
void make_demo_outlet(const std::string& db);
// Runs the real `huinong` CLI on `db`; throws with its output when it fails.
void run_cli(const std::string& db, const std::vector<std::string>& args, const Env& pins);

// Whether a "screen" event lists a finding with this code, and that finding (null when none).
bool has_finding(const nlohmann::json& screen, const std::string& code);
nlohmann::json finding(const nlohmann::json& screen, const std::string& code);

class Counter {
 public:
  // Starts the application on an outlet made by `make_outlet` (the demo outlet by default),
  // with `user` preselected at sign-in. With `make_outlet` empty, on an empty data directory:
  // ready when the first-run wizard is.
  explicit Counter(const std::string& user = "li", const std::vector<std::string>& extra_args = {},
                   const std::function<void(const std::string& db)>& make_outlet = make_demo_outlet);
  ~Counter();

  // Keys: `delay_ms` between keys (2 = a keyboard-wedge scanner, 60+ = a person).
  void type(const std::string& text, int delay_ms);
  void key(const std::string& keysym);  // "Return", "F10", "ctrl+l"
  // Waits (up to 20 s) until a window whose title contains `title` is on screen: for the
  // toolkit's own dialogs (the file chooser), which say nothing in the trace once they show.
  void wait_window(const std::string& title);
  // Types `text` then Return.
  void enter(const std::string& text, int delay_ms) { type(text, delay_ms); key("Return"); }

  // The next trace event named `event` (after the ones already consumed) that satisfies `match`;
  // throws with the trace and the application's log when none comes in time.
  nlohmann::json wait_for(const std::string& event,
                          const std::function<bool(const nlohmann::json&)>& match = nullptr,
                          double timeout_s = 15);
  // The last "screen" event written so far (after waiting for the application to settle).
  nlohmann::json settled_screen();

  void login(const std::string& pin);
  // Types the buyer panel as a clerk does: each field, then Enter.
  void buyer(const std::string& id, const std::string& name, const std::string& household);
  void scan(const std::string& code) { enter(code, 2); }
  // F10, then Enter at the payment step: the sale paid exactly in cash (issue 16), the
  // commonest sale. Waits for the payment step, not for the commit.
  void checkout_cash() {
    key("F10");
    wait_for("payment_shown");
    key("Return");
  }
  // 张三 of household 3413220012 buys the TV of kTv1 (its serial scanned), paid exactly in cash;
  // waits for the payment step, not for the commit.
  void sell_tv();
  std::string screenshot(const std::string& name);

  std::int64_t count(const std::string& sql);  // a COUNT(*) query on the terminal's database
  const std::string& db() const { return db_; }
  const std::string& dir() const { return tmp_.path(); }
  pid_t pid() const { return app_.pid(); }
  // Whether the application is still running, and its exit status once it has ended.
  bool running() { return app_.running(); }
  int wait_exit() { return app_.wait(); }
  // From starting the process to the sign-in screen being ready for the PIN.
  double start_to_ready_ms() const { return ready_ms_; }
  // Runs the `huinong` CLI on this outlet's database.
  void cli(const std::vector<std::string>& args, const Env& pins);
  std::string invoice_dir() const { return tmp_.path() + "/invoices"; }
  const std::string& trace_file() const { return trace_; }

 private:
  void xdotool(const std::vector<std::string>& args);

  TempDir tmp_;
  std::string db_;
  std::string trace_;
  std::size_t consumed_ = 0;  // bytes of the trace already read past
  double ready_ms_ = 0;
  XServer x_;
  Child app_;
};

}  // namespace hn::test
