#include "counter_harness.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "keymap.hpp"


namespace hn::test {

void run_cli(const std::string& db, const std::vector<std::string>& args, const Env& pins) {
  std::vector<std::string> argv = {HUINONG_CLI_BIN, "--db", db};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string out;
  const int rc = run(argv, pins, &out);
  if (rc != 0) throw std::runtime_error("huinong " + args[0] + " failed (" + std::to_string(rc) + "): " + out);
}

void make_demo_outlet(const std::string& db) {
  const std::string assets = HUINONG_TEST_ASSETS_DIR;
  run_cli(db, {"init", "--outlet-code", "AH-XX-0001", "--outlet-name", "萧县惠农家电城", "--county", "341322",
           "--manager", "wang", "--manager-name", "王店长"},
      {{"HUINONG_NEW_PIN", kManagerPin}});
  run_cli(db, {"user", "add", "--user", "wang", "--login", "li", "--name", "李营业员", "--role", "clerk"},
      {{"HUINONG_PIN", kManagerPin}, {"HUINONG_NEW_PIN", kClerkPin}});
  run_cli(db, {"catalog", "import", "--user", "wang", assets + "/demo/catalog.csv"}, {{"HUINONG_PIN", kManagerPin}});
  run_cli(db, {"cards", "receive", "--user", "wang", assets + "/demo/cards.csv"}, {{"HUINONG_PIN", kManagerPin}});
}

bool has_finding(const nlohmann::json& screen, const std::string& code) {
  for (const auto& f : screen["findings"])
    if (f["code"] == code) return true;
  return false;
}

nlohmann::json finding(const nlohmann::json& screen, const std::string& code) {
  for (const auto& f : screen["findings"])
    if (f["code"] == code) return f;
  return nlohmann::json();
}

Counter::Counter(const std::string& user, const std::vector<std::string>& extra_args,
                 const std::function<void(const std::string&)>& make_outlet)
    : db_(tmp_.file("huinong.db")), trace_(tmp_.file("trace.jsonl")), x_(tmp_.file("xvfb.log")) {
  // No outlet maker: an empty data directory, where the first-run wizard opens instead.
  if (make_outlet) make_outlet(db_);
  std::vector<std::string> argv = {HUINONG_POS_BIN, "--db", db_, "--user", user, "--trace", trace_,
                                   "--invoice-dir", invoice_dir()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  const auto started = std::chrono::steady_clock::now();
  app_ = spawn(argv, {{"DISPLAY", x_.display()}, {"HUINONG_LOCALE_DIR", HUINONG_TEST_LOCALE_DIR}},
               tmp_.file("app.log"));
  wait_for(make_outlet ? "login_ready" : "first_run_ready", nullptr, 30);
  ready_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  // No window manager: keyboard focus follows the pointer, so put it on the (full-screen) window.
  xdotool({"mousemove", "640", "400"});
}

Counter::~Counter() { app_.terminate(); }

void Counter::cli(const std::vector<std::string>& args, const Env& pins) { run_cli(db_, args, pins); }

void Counter::xdotool(const std::vector<std::string>& args) {
  static const std::string bin = find_program("xdotool");
  if (bin.empty()) throw std::runtime_error("xdotool is not installed (packaging/install-deps.sh)");
  std::vector<std::string> argv = {bin};
  argv.insert(argv.end(), args.begin(), args.end());
  if (run(argv, {{"DISPLAY", x_.display()}}) != 0) throw std::runtime_error("xdotool failed");
}

void Counter::type(const std::string& text, int delay_ms) {
  map_missing_characters(x_.display(), text);  // 汉字 keep their keycode (keymap.hpp says why)
  xdotool({"type", "--delay", std::to_string(delay_ms), text});
}

void Counter::key(const std::string& keysym) { xdotool({"key", keysym}); }

void Counter::wait_window(const std::string& title) {
  static const std::string bin = find_program("xdotool");
  static const std::string timeout = find_program("timeout");
  const std::vector<std::string> argv = {timeout, "20", bin, "search", "--sync", "--onlyvisible", "--name", title};
  if (run(argv, {{"DISPLAY", x_.display()}}) != 0)
    throw std::runtime_error("no window named like '" + title + "' within 20 s");
}

nlohmann::json Counter::wait_for(const std::string& event, const std::function<bool(const nlohmann::json&)>& match,
                                 double timeout_s) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  for (;;) {
    const std::string text = read_text(trace_);
    while (consumed_ < text.size()) {
      const auto end = text.find('\n', consumed_);
      if (end == std::string::npos) break;
      const auto line = nlohmann::json::parse(text.substr(consumed_, end - consumed_));
      consumed_ = end + 1;
      if (line.value("event", "") == event && (!match || match(line))) return line;
    }
    if (std::chrono::steady_clock::now() > until)
      throw std::runtime_error("no '" + event + "' event within " + std::to_string(timeout_s) +
                               " s; the trace:\n" + text + "\napp log:\n" + read_text(tmp_.file("app.log")));
    if (!app_.running())
      throw std::runtime_error("huinong-pos exited; app log:\n" + read_text(tmp_.file("app.log")));
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

nlohmann::json Counter::settled_screen() {
  // Let queued key events and checks finish: the screen is settled once no new event has
  // been written for a while.
  std::size_t size = read_text(trace_).size();
  for (int quiet = 0; quiet < 15;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const std::size_t now = read_text(trace_).size();
    quiet = now == size ? quiet + 1 : 0;
    size = now;
  }
  nlohmann::json last;
  std::istringstream in(read_text(trace_));
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line);
    if (j.value("event", "") == "screen") last = j;
  }
  consumed_ = size;
  return last;
}

void Counter::login(const std::string& pin) {
  enter(pin, 30);
  wait_for("logged_in");
}

void Counter::buyer(const std::string& id, const std::string& name, const std::string& household) {
  type(id, 40);  // a person typing the ID number
  key("Return");  // Enter, and only Enter, moves on to the name (issue 16)
  wait_for("id_accepted");
  enter(name, 20);
  enter(household, 20);
}

void Counter::sell_tv() {
  buyer(kIdZhang, "Zhang San", "3413220012");
  scan(kTv1);
  wait_for("screen", [](const nlohmann::json& s) { return s.contains("scan_to_shown_ms"); });
  scan(kTv1Serial);
  wait_for("screen", [](const nlohmann::json& s) { return s["checkout_enabled"] == true; });
  checkout_cash();
}

std::string Counter::screenshot(const std::string& name) {
  settled_screen();
  const std::string dir = std::string(HUINONG_TEST_SCREENSHOT_DIR);
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/" + name + ".png";
  static const std::string import = find_program("import");
  if (!import.empty()) run({import, "-window", "root", path}, {{"DISPLAY", x_.display()}});
  if (const char* update = std::getenv("HUINONG_UPDATE_SCREENSHOTS"); update && *update == '1')
    std::filesystem::copy_file(path, std::string(HUINONG_SOURCE_SCREENSHOT_DIR) + "/" + name + ".png",
                               std::filesystem::copy_options::overwrite_existing);
  return path;
}

std::int64_t Counter::count(const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    throw std::runtime_error("cannot open " + db_);
  sqlite3_stmt* st = nullptr;
  std::int64_t n = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  if (n < 0) throw std::runtime_error("query failed: " + sql);
  return n;
}

}  // namespace hn::test
